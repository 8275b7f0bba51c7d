package org.pgeventstore.application.snapshot;

import java.time.Instant;
import java.util.Optional;
import org.pgeventstore.application.eventstore.StreamId;

/**
 * Where snapshots of streams are kept. A snapshot is a cache: losing one costs a longer load,
 * never a wrong one, so callers treat every failure here as "no snapshot".
 *
 * <h2>Keys and writes</h2>
 * A stream has at most one snapshot per version. {@link #save} inserts if absent: two writers
 * that snapshot the same stream at the same version folded the same events, so the first one
 * stays. The one exception is a newer shape: a snapshot whose {@code schemaVersion} is higher
 * than the stored one at that version replaces it, so a stream that no longer grows still gets
 * a snapshot its readers can use after the state's shape changed.
 *
 * <h2>Reads</h2>
 * Reads return only snapshots of the {@code schemaVersion} asked for; snapshots of other shapes
 * are invisible to them, never converted. Among those, the one with the highest version that
 * fits the read wins.
 *
 * <h2>Times</h2>
 * A store keeps instants to at least the microsecond. It may round {@code latestEventTime} up to
 * its precision, never down, so a snapshot is never used for an instant before one of its events.
 *
 * <p>Every method may throw a {@link RuntimeException} when the storage is out of reach.
 */
public interface SnapshotStore {

    /**
     * Stores {@code snapshot} unless the stream already has one at that version of the same or a
     * newer schema version.
     *
     * @return whether it was stored (inserted, or replaced an older shape)
     */
    boolean save(Snapshot snapshot);

    /** The snapshot of {@code stream} of shape {@code schemaVersion} with the highest version not above {@code atMostVersion}. */
    Optional<Snapshot> latest(StreamId stream, int schemaVersion, long atMostVersion);

    /**
     * The snapshot of {@code stream} of shape {@code schemaVersion} with the highest version whose
     * {@code latestEventTime} is not after {@code instant}: every event it folded had happened by then.
     */
    Optional<Snapshot> latestAsOf(StreamId stream, int schemaVersion, Instant instant);

    /**
     * Deletes all but the {@code keep} (1 or more) highest versions of the stream's snapshots,
     * whatever their schema version.
     *
     * @return how many were deleted
     */
    int prune(StreamId stream, int keep);
}
