package org.pgeventstore.application.projection;

import java.util.List;
import java.util.Optional;

/** What an operator can do with the service's projections. */
public interface ProjectionOperations {

    /** Every projection, by name. */
    List<ProjectionInfo> list();

    Optional<ProjectionInfo> find(String name);

    /**
     * Starts rebuilding {@code name} from position 0 in the background; reads go on from the
     * current read model until the rebuilt one is swapped in.
     *
     * @throws UnknownProjection when there is no such projection
     * @throws RebuildInProgress when a rebuild of it is already running
     */
    void rebuild(String name);

    /**
     * Lets a failed (or paused) projection try again from its checkpoint.
     *
     * @throws UnknownProjection when there is no such projection
     */
    ProjectionInfo resume(String name);

    /**
     * The streams {@code name} has parked, the longest parked first, at most {@code limit}.
     *
     * @throws UnknownProjection when there is no such projection
     */
    List<ParkedStream> parked(String name, int limit);

    /**
     * One stream {@code name} has parked.
     *
     * @throws UnknownProjection when there is no such projection
     */
    Optional<ParkedStream> parked(String name, String streamId);

    /**
     * Applies the waiting events of a parked stream in order (see {@link ParkedStreams#resume}).
     *
     * @throws UnknownProjection when there is no such projection
     * @throws ParkedStreams.NotParked when the stream is not parked
     */
    ParkedStreams.Resumed resumeStream(String name, String streamId, String resumedBy);

    /**
     * Skips the head of a parked stream for good, recording who, when and why (see
     * {@link ParkedStreams#skip}).
     *
     * @throws UnknownProjection when there is no such projection
     * @throws ParkedStreams.NotParked when the stream is not parked
     * @throws ParkedStreams.HeadMoved when its head is not at {@code position}
     */
    ParkedStreams.Skipped skip(String name, String streamId, long position, String skippedBy, String reason);

    /**
     * Compares the read model of {@code name} with the event store, the read model's own way
     * (for the order read model: every order with its row).
     *
     * @throws UnknownProjection when there is no such projection
     */
    ReconciliationReport reconcile(String name);

    /** No projection of that name. */
    final class UnknownProjection extends RuntimeException {
        public UnknownProjection(String name) {
            super("no projection named " + name);
        }
    }

    /** A rebuild of the projection is already running. */
    final class RebuildInProgress extends RuntimeException {
        public RebuildInProgress(String name) {
            super("projection " + name + " is already being rebuilt");
        }
    }
}
