package org.pgeventstore.application.snapshot;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import org.pgeventstore.application.eventstore.StreamId;

/** A {@link SnapshotStore} in memory, for tests and for running without a database. */
public final class InMemorySnapshotStore implements SnapshotStore {

    private final Map<String, NavigableMap<Long, Snapshot>> streams = new HashMap<>();

    @Override
    public synchronized boolean save(Snapshot snapshot) {
        NavigableMap<Long, Snapshot> byVersion = streams.computeIfAbsent(snapshot.stream().value(), id -> new TreeMap<>());
        Snapshot stored = byVersion.get(snapshot.version());
        if (stored != null && stored.schemaVersion() >= snapshot.schemaVersion()) {
            return false;
        }
        byVersion.put(snapshot.version(), snapshot);
        return true;
    }

    @Override
    public synchronized Optional<Snapshot> latest(StreamId stream, int schemaVersion, long atMostVersion) {
        NavigableMap<Long, Snapshot> byVersion = streams.getOrDefault(stream.value(), new TreeMap<>());
        return byVersion.headMap(atMostVersion, true).descendingMap().values().stream()
                .filter(snapshot -> snapshot.schemaVersion() == schemaVersion)
                .findFirst();
    }

    @Override
    public synchronized Optional<Snapshot> latestAsOf(StreamId stream, int schemaVersion, Instant instant) {
        NavigableMap<Long, Snapshot> byVersion = streams.getOrDefault(stream.value(), new TreeMap<>());
        return byVersion.descendingMap().values().stream()
                .filter(snapshot -> snapshot.schemaVersion() == schemaVersion)
                .filter(snapshot -> !snapshot.latestEventTime().isAfter(instant))
                .findFirst();
    }

    @Override
    public synchronized int prune(StreamId stream, int keep) {
        if (keep < 1) {
            throw new IllegalArgumentException("keep at least 1 snapshot per stream, not " + keep);
        }
        NavigableMap<Long, Snapshot> byVersion = streams.get(stream.value());
        int deleted = 0;
        while (byVersion != null && byVersion.size() > keep) {
            byVersion.pollFirstEntry();
            deleted++;
        }
        return deleted;
    }

    /** Every snapshot held, by stream and then version; for statistics and tests. */
    public synchronized List<Snapshot> all() {
        List<Snapshot> all = new ArrayList<>();
        streams.values().forEach(byVersion -> all.addAll(byVersion.values()));
        return all;
    }
}
