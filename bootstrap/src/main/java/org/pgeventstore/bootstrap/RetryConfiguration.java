package org.pgeventstore.bootstrap;

import java.time.Duration;

/**
 * How a step that failed for a passing reason is tried again: how many tries in all, and the
 * backoff's first and longest pause. The order commands ({@code eventstore.orders.retry}) and the
 * projections ({@code eventstore.projections.retry}) each have one, with their own defaults.
 */
public abstract class RetryConfiguration {

    private int maxAttempts;
    private Duration initialDelay;
    private Duration maxDelay;

    protected RetryConfiguration(int maxAttempts, Duration initialDelay, Duration maxDelay) {
        this.maxAttempts = maxAttempts;
        this.initialDelay = initialDelay;
        this.maxDelay = maxDelay;
    }

    public int getMaxAttempts() {
        return maxAttempts;
    }

    public void setMaxAttempts(int maxAttempts) {
        this.maxAttempts = maxAttempts;
    }

    public Duration getInitialDelay() {
        return initialDelay;
    }

    public void setInitialDelay(Duration initialDelay) {
        this.initialDelay = initialDelay;
    }

    public Duration getMaxDelay() {
        return maxDelay;
    }

    public void setMaxDelay(Duration maxDelay) {
        this.maxDelay = maxDelay;
    }
}
