package org.pgeventstore.application.projection;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * A projection's checkpoint: every event of the feed up to {@code position} has been applied,
 * none after it. A {@link ProjectionStatus#FAILED} projection names the event it stopped at
 * ({@code failedPosition}) and why ({@code lastError}).
 */
public record ProjectionState(String name, long position, ProjectionStatus status, OptionalLong failedPosition,
                              String lastError) {

    public ProjectionState {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(failedPosition, "failedPosition");
    }

    public static ProjectionState initial(String name) {
        return new ProjectionState(name, 0, ProjectionStatus.RUNNING, OptionalLong.empty(), null);
    }
}
