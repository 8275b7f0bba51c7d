package org.pgeventstore.bootstrap;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;

/** How appends in one instance wake the feed readers of every instance, under {@code eventstore.feed.notifications}. */
@ConfigurationProperties("eventstore.feed.notifications")
public class FeedNotificationsConfiguration {

    private boolean enabled = true;
    private String channel = "eventstore_appended";
    private Duration minInterval = Duration.ofMillis(10);

    /** Whether instances send and listen to PostgreSQL notifications; without them, other instances poll. */
    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** The PostgreSQL channel (a lower-case identifier); instances on one database must agree on it. */
    public String getChannel() {
        return channel;
    }

    public void setChannel(String channel) {
        this.channel = channel;
    }

    /** The least time between two notifications of one instance: appends in between share the later one. */
    public Duration getMinInterval() {
        return minInterval;
    }

    public void setMinInterval(Duration minInterval) {
        if (minInterval == null || minInterval.isNegative()) {
            throw new IllegalArgumentException("eventstore.feed.notifications.min-interval must be 0 or more, was "
                    + minInterval);
        }
        this.minInterval = minInterval;
    }
}
