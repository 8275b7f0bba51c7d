package org.pgeventstore.application.projection;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What an operator sees of a projection: its checkpoint, how far it trails the feed (in events
 * of its category, counted up to a cap, and in the age of the oldest event not yet applied), its
 * status, the event and error it stopped at when failed, how many streams it has parked, where its
 * runner is, and its latest rebuild while that runs or after it failed.
 */
public record ProjectionInfo(String name, long position, long lagEvents, Duration lagTime, ProjectionStatus status,
                             OptionalLong failedPosition, String lastError, long parkedStreams, Runner runner,
                             Optional<ProjectionRebuild> rebuild) {

    /** Which instance applies the feed to the projection right now. */
    public enum Runner {
        /** The instance answering. */
        THIS_INSTANCE,
        /** Another instance holds the projection's lease. */
        ANOTHER_INSTANCE,
        /** None: every instance runs with projections disabled, or the lease is between holders. */
        NONE
    }

    public ProjectionInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(lagTime, "lagTime");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(failedPosition, "failedPosition");
        Objects.requireNonNull(runner, "runner");
        Objects.requireNonNull(rebuild, "rebuild");
    }
}
