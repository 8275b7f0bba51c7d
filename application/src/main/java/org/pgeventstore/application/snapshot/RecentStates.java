package org.pgeventstore.application.snapshot;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.pgeventstore.application.eventstore.StreamId;

/**
 * The latest states this instance rebuilt, in memory, so that loading a busy aggregate again
 * costs one read of the events after it instead of a snapshot's fetch and decoding. An entry
 * is always correct: the state of a stream at a version never changes, so a load starts from
 * it and folds whatever came after, as it would from a snapshot. Bounded: the least recently
 * used stream is forgotten first. States must be immutable; they are shared between loads.
 *
 * <p>One memory serves every aggregate of an instance, so entries are typed by their state and a
 * lookup names the state type it wants: a stream's entry of another type is not returned.
 */
public final class RecentStates {

    /**
     * A state the aggregate reached at {@code version}, with what a load needs to go on from it;
     * {@code snapshotBase} is the version of the latest snapshot known, which the snapshot
     * policy counts events from.
     */
    public record Entry<S>(S state, long version, long position, Instant latestEventTime, long snapshotBase) {

        public Entry {
            Objects.requireNonNull(state, "state");
        }
    }

    private final int capacity;
    private final Map<StreamId, Entry<?>> entries;

    public RecentStates(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("the capacity of recent states must not be negative, was " + capacity);
        }
        this.capacity = capacity;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<StreamId, RecentStates.Entry<?>> eldest) {
                return size() > RecentStates.this.capacity;
            }
        };
    }

    /** Keeps nothing. */
    public static RecentStates none() {
        return new RecentStates(0);
    }

    /** The kept state of the stream, of whatever type. */
    public synchronized Optional<Entry<?>> latest(StreamId stream) {
        return Optional.ofNullable(entries.get(stream));
    }

    /** The kept state of the stream when it is a {@code stateType}. */
    public synchronized <S> Optional<Entry<S>> latest(StreamId stream, Class<S> stateType) {
        Entry<?> kept = entries.get(stream);
        if (kept == null || !stateType.isInstance(kept.state())) {
            return Optional.empty();
        }
        return Optional.of(new Entry<>(stateType.cast(kept.state()), kept.version(), kept.position(),
                kept.latestEventTime(), kept.snapshotBase()));
    }

    /** Keeps {@code entry} unless a later state of the stream is already kept. */
    public synchronized void remember(StreamId stream, Entry<?> entry) {
        if (capacity == 0) {
            return;
        }
        Entry<?> kept = entries.get(stream);
        if (kept == null || kept.version() < entry.version()
                || (kept.version() == entry.version() && kept.snapshotBase() < entry.snapshotBase())) {
            entries.put(stream, entry);
        }
    }

    /** Forgets the stream, e.g. when its kept state turned out to be ahead of the stream. */
    public synchronized void forget(StreamId stream) {
        entries.remove(stream);
    }

    public synchronized int size() {
        return entries.size();
    }
}
