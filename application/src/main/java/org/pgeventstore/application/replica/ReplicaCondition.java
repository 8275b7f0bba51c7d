package org.pgeventstore.application.replica;

import java.time.Instant;
import java.util.Optional;

/**
 * What the latest look at the replica found.
 *
 * @param reachable whether it answered; while it does not, every read goes to the primary
 * @param lag       its lag, when it answered
 * @param error     why it did not answer, when it did not
 * @param checkedAt when the look was taken (this instance's clock)
 */
public record ReplicaCondition(boolean reachable, Optional<ReplicaLag> lag, Optional<String> error, Instant checkedAt) {

    /** Before the first look: reads try the replica, which tells soon enough whether it answers. */
    static ReplicaCondition unknown(Instant now) {
        return new ReplicaCondition(true, Optional.empty(), Optional.empty(), now);
    }

    static ReplicaCondition answered(ReplicaLag lag, Instant now) {
        return new ReplicaCondition(true, Optional.of(lag), Optional.empty(), now);
    }

    static ReplicaCondition unreachable(String error, Instant now) {
        return new ReplicaCondition(false, Optional.empty(), Optional.of(error), now);
    }
}
