package org.pgeventstore.application.projection;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * What an operator sees of a projection: its checkpoint, how far it trails the feed (in events
 * of its category, counted up to a cap, and in the age of the oldest event not yet applied), its
 * status, the event and error it stopped at when failed, and how many streams it has parked.
 */
public record ProjectionInfo(String name, long position, long lagEvents, Duration lagTime, ProjectionStatus status,
                             OptionalLong failedPosition, String lastError, long parkedStreams) {

    public ProjectionInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(lagTime, "lagTime");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(failedPosition, "failedPosition");
    }
}
