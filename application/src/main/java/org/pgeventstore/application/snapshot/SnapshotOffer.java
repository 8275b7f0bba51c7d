package org.pgeventstore.application.snapshot;

import java.time.Instant;
import java.util.Objects;
import java.util.function.Supplier;
import org.pgeventstore.application.eventstore.StreamId;

/**
 * "Stream X reached version V with state S": what a load or a command hands to the
 * {@link SnapshotWriter}, with what the {@link SnapshotPolicy} needs to decide.
 *
 * @param stream the stream
 * @param version the version the state is at
 * @param position the global position of event {@code version}
 * @param eventsSinceSnapshot events folded after the latest snapshot the load used (all when none)
 * @param recentEventsPerSecond the stream's recent event rate, as the load measured it
 * @param timedUpTo the events up to this version were read, so their times are known
 * @param latestEventTime the latest {@code occurredAt} among events 1 to {@code timedUpTo};
 *     {@code null} when {@code timedUpTo} is 0. The writer reads the times of the events after
 *     {@code timedUpTo} itself, off the caller's thread.
 * @param schemaVersion the shape {@code state} encodes to
 * @param state encodes the state; called on the writer's thread, and only if the policy says yes
 */
public record SnapshotOffer(
        StreamId stream,
        long version,
        long position,
        long eventsSinceSnapshot,
        double recentEventsPerSecond,
        long timedUpTo,
        Instant latestEventTime,
        int schemaVersion,
        Supplier<byte[]> state) {

    public SnapshotOffer {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(state, "state");
        if (timedUpTo < 0 || timedUpTo > version || (timedUpTo > 0) != (latestEventTime != null)) {
            throw new IllegalArgumentException("event times known up to version " + timedUpTo + " of " + version
                    + (latestEventTime == null ? " without" : " with") + " a latest event time");
        }
    }
}
