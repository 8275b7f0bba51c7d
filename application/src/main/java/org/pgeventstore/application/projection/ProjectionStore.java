package org.pgeventstore.application.projection;

import java.util.List;
import org.pgeventstore.application.eventstore.RecordedEvent;

/**
 * A projection's read model and its checkpoint, kept together so that applying events and
 * advancing the checkpoint are one atomic step.
 *
 * <h2>Exactly once</h2>
 * {@link #apply} takes the position the batch was read after. It applies the batch and moves the
 * checkpoint to the batch's {@code next} position all at once, and only if the checkpoint is still
 * at {@code expectedPosition}; otherwise it applies nothing and throws {@link CheckpointMoved}.
 * A crash before the step completes leaves neither the read model nor the checkpoint changed.
 * Each row of the read model also remembers the version of the last event applied to it, and an
 * event is applied only when its version is the row's version + 1, a second guard should the
 * checkpoint ever be reset by hand.
 *
 * <p>When the handler throws on an event, the whole batch is rolled back and
 * {@link ProjectionEventFailed} names the event. Other exceptions (the storage is out of reach)
 * leave the store as it was.
 *
 * <h2>Parked streams</h2>
 * An event of a stream that is parked (see {@link ParkedStreams}) is not handed to the handler:
 * {@link #apply} puts it behind the stream's other waiting events, in the same atomic step, and
 * counts it in {@link ApplyResult#parked()}. {@link #park} parks a stream at an event the runner
 * gave up on.
 */
public interface ProjectionStore {

    /** The projection's name, e.g. {@code orders}; one checkpoint per name. */
    String name();

    /**
     * The projection operators know this store by: its {@link #name()}, except for a rebuild's
     * store, which answers the projection it rebuilds. Events an operator skipped for that
     * projection are skipped here too.
     */
    default String projection() {
        return name();
    }

    /** The checkpoint, created at position 0 when the projection has never run. */
    ProjectionState state();

    /**
     * Applies {@code events} (in feed order, all after {@code expectedPosition}) and moves the
     * checkpoint to {@code nextPosition} (at least the last event's position) atomically.
     *
     * @return how many events changed the read model; events whose version was already applied are
     *     counted in {@link ApplyResult#alreadyApplied()} instead, events of parked streams in
     *     {@link ApplyResult#parked()}
     * @throws CheckpointMoved when the checkpoint is not at {@code expectedPosition}
     * @throws ProjectionEventFailed when the handler throws on one of the events
     */
    ApplyResult apply(long expectedPosition, List<RecordedEvent> events, long nextPosition);

    /** Stops the projection at {@code event}: status failed, its position and the error kept for the operator. */
    void markFailed(long expectedPosition, RecordedEvent event, String error);

    /**
     * Parks the stream of {@code event} at it: keeps the event, with {@code error}, as the head of
     * the stream's waiting events and moves the checkpoint past it, atomically, for a projection
     * that goes on with its other streams.
     *
     * @throws CheckpointMoved when the checkpoint is not at {@code expectedPosition}
     */
    void park(long expectedPosition, RecordedEvent event, String error);

    /** Clears a failure (or a pause): the projection retries from its checkpoint. */
    void resume();

    /** What one {@link #apply} did. */
    record ApplyResult(int applied, int alreadyApplied, int parked) {
    }
}
