package org.pgeventstore.application.projection;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link ProjectionRunner} reads and retries.
 *
 * @param batchSize events read from the feed and applied in one transaction
 * @param pollInterval the longest wait for new events without a wake-up signal
 * @param maxAttempts tries of an event whose handler throws before the failure policy applies
 * @param retryInitialDelay the first backoff between those tries; it doubles up to {@code retryMaxDelay}
 * @param retryMaxDelay the longest backoff
 * @param failurePolicy park the failing event's stream (the default), or stop the whole projection there
 * @param takeoverInterval how often a runner without the lease tries to take it
 */
public record ProjectionSettings(int batchSize, Duration pollInterval, int maxAttempts, Duration retryInitialDelay,
                                 Duration retryMaxDelay, FailurePolicy failurePolicy, Duration takeoverInterval) {

    public static final ProjectionSettings DEFAULT = new ProjectionSettings(500, Duration.ofMillis(100), 5,
            Duration.ofMillis(100), Duration.ofSeconds(5), FailurePolicy.PARK, Duration.ofSeconds(1));

    public ProjectionSettings {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be positive, was " + batchSize);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be positive, was " + maxAttempts);
        }
        requirePositive(pollInterval, "pollInterval");
        requirePositive(retryInitialDelay, "retryInitialDelay");
        requirePositive(retryMaxDelay, "retryMaxDelay");
        requirePositive(takeoverInterval, "takeoverInterval");
        Objects.requireNonNull(failurePolicy, "failurePolicy");
    }

    private static void requirePositive(Duration duration, String name) {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + duration);
        }
    }

    public ProjectionSettings withBatchSize(int size) {
        return new ProjectionSettings(size, pollInterval, maxAttempts, retryInitialDelay, retryMaxDelay, failurePolicy,
                takeoverInterval);
    }

    public ProjectionSettings withRetries(int attempts, Duration initialDelay, Duration maxDelay, FailurePolicy policy) {
        return new ProjectionSettings(batchSize, pollInterval, attempts, initialDelay, maxDelay, policy, takeoverInterval);
    }

    public ProjectionSettings withPollInterval(Duration interval) {
        return new ProjectionSettings(batchSize, interval, maxAttempts, retryInitialDelay, retryMaxDelay, failurePolicy,
                takeoverInterval);
    }

    public ProjectionSettings withTakeoverInterval(Duration interval) {
        return new ProjectionSettings(batchSize, pollInterval, maxAttempts, retryInitialDelay, retryMaxDelay,
                failurePolicy, interval);
    }
}
