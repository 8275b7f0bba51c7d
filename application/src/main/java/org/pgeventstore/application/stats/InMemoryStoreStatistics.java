package org.pgeventstore.application.stats;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.pgeventstore.application.eventstore.EventFilter;
import org.pgeventstore.application.eventstore.EventStore;
import org.pgeventstore.application.eventstore.FeedPage;
import org.pgeventstore.application.eventstore.RecordedEvent;
import org.pgeventstore.application.eventstore.StreamId;
import org.pgeventstore.application.snapshot.InMemorySnapshotStore;
import org.pgeventstore.application.snapshot.Snapshot;

/**
 * {@link StoreStatistics} of the in-memory stores, counted by reading the whole feed: fine for
 * tests and trying the service, linear in the number of events.
 */
public final class InMemoryStoreStatistics implements StoreStatistics {

    private static final int PAGE = 1_000;

    private final EventStore events;
    private final InMemorySnapshotStore snapshots;

    public InMemoryStoreStatistics(EventStore events, InMemorySnapshotStore snapshots) {
        this.events = events;
        this.snapshots = snapshots;
    }

    @Override
    public StoreStats collect() {
        Map<String, Long> byType = new TreeMap<>();
        Map<String, Long> versions = new HashMap<>();
        long after = 0;
        while (true) {
            FeedPage page = events.readAll(after, PAGE, EventFilter.ALL);
            if (page.events().isEmpty()) {
                break;
            }
            for (RecordedEvent event : page.events()) {
                byType.merge(event.type(), 1L, Long::sum);
                versions.merge(event.streamId(), event.version(), Math::max);
            }
            after = page.next();
        }
        Map<String, long[]> streamsAndEvents = new TreeMap<>();
        versions.forEach((stream, version) -> {
            long[] counts = streamsAndEvents.computeIfAbsent(StreamId.of(stream).category(), c -> new long[2]);
            counts[0]++;
            counts[1] += version;
        });
        List<Snapshot> allSnapshots = snapshots.all();
        List<StoreStats.Category> categories = new ArrayList<>();
        streamsAndEvents.forEach((category, counts) -> {
            List<Snapshot> own = allSnapshots.stream().filter(s -> s.stream().category().equals(category)).toList();
            Set<String> snapshotted = new TreeSet<>();
            own.forEach(s -> snapshotted.add(s.stream().value()));
            Optional<StoreStats.SnapshotTaken> latest = own.stream()
                    .max(Comparator.comparing(Snapshot::takenAt))
                    .map(s -> new StoreStats.SnapshotTaken(s.stream().value(), s.version(), s.takenAt()));
            categories.add(new StoreStats.Category(category, counts[0], counts[1], snapshotted.size(), own.size(), latest));
        });
        List<StoreStats.StreamSize> largest = versions.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(LARGEST_STREAMS)
                .map(entry -> new StoreStats.StreamSize(entry.getKey(), entry.getValue()))
                .toList();
        return new StoreStats(byType, categories, largest);
    }
}
