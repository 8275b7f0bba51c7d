package org.pgeventstore.application.projection;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The parking place of one projection: streams held back behind an event its handler could not
 * apply (see {@link FailurePolicy#PARK}), and what an operator does about them.
 *
 * <h2>Order and exactly once</h2>
 * While a stream has an event waiting here, every later event of that stream joins it, in feed
 * order, instead of being applied; other streams are not held up. {@link #resume} applies the
 * waiting events in that order, then the stream flows normally again. Each event is applied at
 * most once: resumes and the projection's batches are serialised on its checkpoint, and an event
 * changes its row only if its version is the row's version + 1 (an event the row already holds
 * is released without a change).
 *
 * <h2>Skipping</h2>
 * An event is never removed from the log, so an event that can never be applied can only be
 * skipped: {@link #skip} releases the head of a stream without applying it, records who skipped
 * it, when and why, and moves the row's version past it so that the stream's later events apply
 * after it. The read model then lacks that event's effect, for good: a rebuild skips it again.
 */
public interface ParkedStreams {

    /** How many streams are parked. */
    long count();

    /** Parked streams, the longest parked first, at most {@code limit}. */
    List<ParkedStream> list(int limit);

    /** The stream, if it is parked. */
    Optional<ParkedStream> find(String streamId);

    /** The positions of the events of {@code streamId} an operator skipped for good, in order. */
    List<Long> skipped(String streamId);

    /**
     * Applies the waiting events of {@code streamId} in order. When one fails again, the events
     * before it stay applied and it becomes the stream's head with its new error; the stream stays
     * parked.
     *
     * @param resumedBy who asked, recorded with each event applied; may be null
     * @throws NotParked when the stream has no event waiting
     */
    Resumed resume(String streamId, String resumedBy);

    /**
     * Releases the head of {@code streamId} without applying it. The events behind it keep waiting
     * until the stream is resumed; the stream is no longer parked if none do.
     *
     * @param position the head the operator means; another head is refused, so that a decision
     *     made on one event is never applied to the next
     * @throws NotParked when the stream has no event waiting
     * @throws HeadMoved when its head is not at {@code position}
     */
    Skipped skip(String streamId, long position, Skip skip);

    /** Who skips an event, when and why: kept with the event for good. */
    record Skip(String by, String reason, Instant at) {
        public Skip {
            Objects.requireNonNull(by, "by");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(at, "at");
        }
    }

    /** What a {@link #resume} did: events applied, and the stream's head if it is still parked. */
    record Resumed(String streamId, int applied, Optional<ParkedStream> stillParked) {
    }

    /** What a {@link #skip} did: the event skipped, and the stream if events still wait behind it. */
    record Skipped(ParkedEvent skipped, Skip skip, Optional<ParkedStream> stillParked) {
    }

    /** The stream has no event waiting. */
    final class NotParked extends RuntimeException {
        public NotParked(String projection, String streamId) {
            super("stream " + streamId + " is not parked by projection " + projection);
        }
    }

    /** The stream's head is not the event the operator named. */
    final class HeadMoved extends RuntimeException {
        private final long head;

        public HeadMoved(String streamId, long expected, long head) {
            super("stream " + streamId + " is parked at position " + head + ", not " + expected);
            this.head = head;
        }

        public long head() {
            return head;
        }
    }
}
