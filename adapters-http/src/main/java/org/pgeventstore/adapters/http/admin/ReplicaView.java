package org.pgeventstore.adapters.http.admin;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import org.pgeventstore.application.replica.ReplicaCondition;

/** The streaming replica that serves reads, as the latest look at it found it. */
@Schema(name = "Replica")
public record ReplicaView(
        @Schema(description = "Whether the replica answered; while it does not, the primary serves every read")
        boolean reachable,
        @Schema(description = "Where reads go now: replica or primary") String reads,
        @Schema(description = "Age of the last commit the replica replayed, 0 when it has replayed all it received",
                nullable = true) Double replayDelaySeconds,
        @Schema(description = "WAL received but not yet replayed", nullable = true) Long bytesBehind,
        @Schema(description = "The replica's feed bound: every event below it can be read there", nullable = true)
        Long visibleBound,
        @Schema(description = "Why the replica did not answer", nullable = true) String error,
        Instant checkedAt) {

    static ReplicaView of(ReplicaCondition condition) {
        return new ReplicaView(condition.reachable(), condition.reachable() ? "replica" : "primary",
                condition.lag().map(lag -> lag.replayDelay().toMillis() / 1000.0).orElse(null),
                condition.lag().map(lag -> lag.bytesBehind()).orElse(null),
                condition.lag().map(lag -> lag.visibleBound()).orElse(null),
                condition.error().orElse(null), condition.checkedAt());
    }
}
