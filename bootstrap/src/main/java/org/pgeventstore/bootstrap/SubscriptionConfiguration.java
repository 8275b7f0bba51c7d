package org.pgeventstore.bootstrap;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;
import org.pgeventstore.application.subscription.SubscriptionSettings;

/** The consumer groups' bounds, under {@code eventstore.subscriptions}. */
@ConfigurationProperties("eventstore.subscriptions")
public class SubscriptionConfiguration {

    private Duration maxWait = SubscriptionSettings.DEFAULTS.maxWait();
    private Duration pollInterval = SubscriptionSettings.DEFAULTS.pollInterval();
    private int maxWaitingPolls = SubscriptionSettings.DEFAULTS.maxWaitingPolls();
    private int maxMembers = SubscriptionSettings.DEFAULTS.maxMembers();

    /** The longest {@code wait} a poll may ask for. */
    public Duration getMaxWait() {
        return maxWait;
    }

    public void setMaxWait(Duration maxWait) {
        this.maxWait = maxWait;
    }

    /** The longest a waiting poll goes without reading the feed when no wake-up signal comes. */
    public Duration getPollInterval() {
        return pollInterval;
    }

    public void setPollInterval(Duration pollInterval) {
        this.pollInterval = pollInterval;
    }

    /** Long polls that may wait at once in this instance; more get 503 with Retry-After. */
    public int getMaxWaitingPolls() {
        return maxWaitingPolls;
    }

    public void setMaxWaitingPolls(int maxWaitingPolls) {
        this.maxWaitingPolls = maxWaitingPolls;
    }

    /** The largest group. */
    public int getMaxMembers() {
        return maxMembers;
    }

    public void setMaxMembers(int maxMembers) {
        this.maxMembers = maxMembers;
    }

    /** The settings, checked: a value out of range stops the service at start with its name. */
    SubscriptionSettings settings() {
        try {
            return new SubscriptionSettings(maxWait, pollInterval, maxWaitingPolls, maxMembers);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("eventstore.subscriptions: " + e.getMessage(), e);
        }
    }
}
