package org.pgeventstore.application.subscription;

import java.time.Duration;

/**
 * The bounds of the consumer groups.
 *
 * @param maxWait the longest a poll may wait for events
 * @param pollInterval the longest a waiting poll goes without reading the feed when no wake-up comes
 *     (events appended through another instance, until it signals them)
 * @param maxWaitingPolls long polls that may wait at once in one instance; more are refused
 * @param maxMembers the largest group
 */
public record SubscriptionSettings(Duration maxWait, Duration pollInterval, int maxWaitingPolls, int maxMembers) {

    public static final SubscriptionSettings DEFAULTS = new SubscriptionSettings(Duration.ofSeconds(30),
            Duration.ofMillis(500), 200, 64);

    public SubscriptionSettings {
        if (maxWait.isNegative() || pollInterval.isNegative() || pollInterval.isZero() || maxWaitingPolls < 1 || maxMembers < 1) {
            throw new IllegalArgumentException("subscription settings out of range: " + maxWait + ", " + pollInterval
                    + ", " + maxWaitingPolls + ", " + maxMembers);
        }
    }
}
