package org.pgeventstore.bootstrap;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;
import java.util.Locale;
import org.pgeventstore.application.projection.FailurePolicy;
import org.pgeventstore.application.projection.ProjectionSettings;

/** The projections and their runner, under {@code eventstore.projections}. */
@ConfigurationProperties("eventstore.projections")
public class ProjectionConfiguration {

    private boolean enabled = true;
    private int poolSize = 6;
    private Duration socketTimeout = Duration.ofSeconds(60);
    private int batchSize = 500;
    private Duration pollInterval = Duration.ofMillis(100);
    private String onFailure = "park";
    private Duration takeoverInterval = Duration.ofSeconds(1);
    private Duration leaseTimeout = Duration.ofSeconds(10);
    private Duration readYourWritesTimeout = Duration.ofSeconds(2);
    private final Retry retry;

    public ProjectionConfiguration(Retry retry) {
        this.retry = retry;
    }

    /** The runner settings these values make; an invalid value fails the startup, naming it. */
    public ProjectionSettings settings() {
        return new ProjectionSettings(batchSize, pollInterval, retry.getMaxAttempts(), retry.getInitialDelay(),
                retry.getMaxDelay(), failurePolicy(), takeoverInterval);
    }

    private FailurePolicy failurePolicy() {
        return switch (onFailure.toLowerCase(Locale.ROOT)) {
            case "park" -> FailurePolicy.PARK;
            case "stop" -> FailurePolicy.STOP;
            default -> throw new IllegalArgumentException("eventstore.projections.on-failure must be park or stop, was "
                    + onFailure + (onFailure.equalsIgnoreCase("dead-letter")
                            ? " (dead-letter was replaced by park, which also holds back the stream's later events)" : ""));
        };
    }

    /** Whether this instance runs projections at all (the read routes work either way). */
    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** Connections of the projections' own pool, apart from the API's. */
    public int getPoolSize() {
        return poolSize;
    }

    public void setPoolSize(int poolSize) {
        if (poolSize < 3) {
            throw new IllegalArgumentException("eventstore.projections.pool-size must be at least 3 (lease, runner, "
                    + "rebuild), was " + poolSize);
        }
        this.poolSize = poolSize;
    }

    /**
     * The longest a statement of the projections' pool waits for PostgreSQL to answer. Larger than
     * the API's: a rebuild's batches and the swap of its table take longer than a request's
     * statements, and nobody waits on them; but a hung database must not hang the runner for ever.
     */
    public Duration getSocketTimeout() {
        return socketTimeout;
    }

    public void setSocketTimeout(Duration socketTimeout) {
        this.socketTimeout = socketTimeout;
    }

    public int getBatchSize() {
        return batchSize;
    }

    public void setBatchSize(int batchSize) {
        this.batchSize = batchSize;
    }

    public Duration getPollInterval() {
        return pollInterval;
    }

    public void setPollInterval(Duration pollInterval) {
        this.pollInterval = pollInterval;
    }

    /** {@code park} (the event's stream waits, the others go on) or {@code stop} (the projection stops at the event, status failed). */
    public String getOnFailure() {
        return onFailure;
    }

    public void setOnFailure(String onFailure) {
        this.onFailure = onFailure;
    }

    public Duration getTakeoverInterval() {
        return takeoverInterval;
    }

    public void setTakeoverInterval(Duration takeoverInterval) {
        this.takeoverInterval = takeoverInterval;
    }

    /**
     * How long a projection's lease outlives an instance that stopped answering (frozen, cut off,
     * powered off): PostgreSQL ends its lease session after this much silence, and a standby takes
     * over within this plus the takeover interval. At least 1s.
     */
    public Duration getLeaseTimeout() {
        return leaseTimeout;
    }

    public void setLeaseTimeout(Duration leaseTimeout) {
        if (leaseTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("eventstore.projections.lease-timeout must be at least 1s, was "
                    + leaseTimeout);
        }
        this.leaseTimeout = leaseTimeout;
    }

    public Duration getReadYourWritesTimeout() {
        return readYourWritesTimeout;
    }

    public void setReadYourWritesTimeout(Duration readYourWritesTimeout) {
        this.readYourWritesTimeout = readYourWritesTimeout;
    }

    /**
     * An event whose handler throws is tried this many times, the pause doubling from the first to
     * the longest; then {@code on-failure} applies.
     */
    @ConfigurationProperties("retry")
    public static class Retry extends RetryConfiguration {

        public Retry() {
            super(5, Duration.ofMillis(100), Duration.ofSeconds(5));
        }
    }
}
