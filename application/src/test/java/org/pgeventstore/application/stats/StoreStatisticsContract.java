package org.pgeventstore.application.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.pgeventstore.application.eventstore.EventStore;
import org.pgeventstore.application.eventstore.ExpectedVersion;
import org.pgeventstore.application.eventstore.NewEvent;
import org.pgeventstore.application.eventstore.StreamId;
import org.pgeventstore.application.snapshot.Snapshot;
import org.pgeventstore.application.snapshot.SnapshotStore;

/**
 * The {@link StoreStatistics} contract, for every adapter: each test writes a category and event
 * types of its own and compares the figures before and after, so the suite can share a database
 * with other tests as long as nothing else writes while it runs.
 */
public abstract class StoreStatisticsContract {

    private static final Instant TAKEN = Instant.parse("2026-03-01T09:00:00Z");

    protected abstract EventStore events();

    protected abstract SnapshotStore snapshots();

    protected abstract StoreStatistics statistics();

    private final String category = "st" + UUID.randomUUID().toString().replace("-", "");
    private final String type = "Counted" + UUID.randomUUID().toString().replace("-", "");

    private StreamId stream(String name) {
        return StreamId.of(category + "-" + name);
    }

    private void append(String name, int count, String eventType) {
        events().append(stream(name), ExpectedVersion.ANY,
                IntStream.range(0, count).mapToObj(i -> NewEvent.of(eventType, "{}")).toList());
    }

    private StoreStats.Category own(StoreStats stats) {
        return stats.categories().stream().filter(c -> c.category().equals(category)).findFirst().orElseThrow();
    }

    @Test
    @DisplayName("a category's streams, events, snapshots, streams with a snapshot, and the snapshot taken last")
    void category() {
        append("a", 1, type);
        append("b", 3, type);
        append("c", 2, type);
        snapshots().save(new Snapshot(stream("b"), 1, 1, TAKEN, TAKEN, 1, new byte[] {1}));
        snapshots().save(new Snapshot(stream("b"), 3, 3, TAKEN, TAKEN.plusSeconds(5), 1, new byte[] {1}));
        snapshots().save(new Snapshot(stream("c"), 2, 2, TAKEN, TAKEN.plusSeconds(9), 1, new byte[] {1}));

        StoreStats.Category own = own(statistics().collect());

        assertThat(own.streams()).isEqualTo(3);
        assertThat(own.events()).isEqualTo(6);
        assertThat(own.snapshots()).isEqualTo(3);
        assertThat(own.streamsWithSnapshot()).isEqualTo(2);
        assertThat(own.snapshotCoverage()).isEqualTo(2.0 / 3);
        // The one taken last, not the one of the highest version.
        assertThat(own.latestSnapshot()).contains(new StoreStats.SnapshotTaken(category + "-c", 2, TAKEN.plusSeconds(9)));
    }

    @Test
    @DisplayName("a category without snapshots has none, and no latest one")
    void withoutSnapshots() {
        append("a", 2, type);

        StoreStats.Category own = own(statistics().collect());

        assertThat(own.snapshots()).isZero();
        assertThat(own.streamsWithSnapshot()).isZero();
        assertThat(own.latestSnapshot()).isEmpty();
    }

    @Test
    @DisplayName("the totals and the counts by type grow by exactly what was appended")
    void totalsAndTypes() {
        String other = type + "Other";
        StoreStats before = statistics().collect();

        append("a", 4, type);
        append("b", 1, type);
        append("b", 2, other);
        StoreStats after = statistics().collect();

        assertThat(after.events() - before.events()).isEqualTo(7);
        assertThat(after.streams() - before.streams()).isEqualTo(2);
        assertThat(before.eventsByType()).doesNotContainKeys(type, other);
        assertThat(after.eventsByType()).containsEntry(type, 5L).containsEntry(other, 2L);
        Map<String, Long> unchanged = new java.util.TreeMap<>(after.eventsByType());
        unchanged.remove(type);
        unchanged.remove(other);
        assertThat(unchanged).isEqualTo(before.eventsByType());
    }

    @Test
    @DisplayName("the largest streams: at most ten, by version then stream id, and a stream larger than the last "
            + "listed one is among them")
    void largestStreams() {
        StoreStats before = statistics().collect();
        long largestBefore = before.largestStreams().isEmpty() ? 0 : before.largestStreams().getFirst().version();
        int size = (int) Math.min(largestBefore + 1, EventStore.MAX_EVENTS_PER_APPEND);
        append("big", size, type);
        if (size <= largestBefore) {
            append("big", (int) (largestBefore + 1 - size), type);
        }
        append("small", 1, type);

        List<StoreStats.StreamSize> largest = statistics().collect().largestStreams();

        assertThat(largest).hasSizeLessThanOrEqualTo(StoreStatistics.LARGEST_STREAMS);
        assertThat(largest).isSortedAccordingTo(Comparator.comparingLong(StoreStats.StreamSize::version).reversed()
                .thenComparing(StoreStats.StreamSize::streamId));
        assertThat(largest.getFirst()).isEqualTo(new StoreStats.StreamSize(category + "-big", largestBefore + 1));
        if (largest.size() == StoreStatistics.LARGEST_STREAMS) {
            assertThat(largest).extracting(StoreStats.StreamSize::streamId).doesNotContain(category + "-small");
        } else {
            assertThat(largest).contains(new StoreStats.StreamSize(category + "-small", 1));
        }
    }
}
