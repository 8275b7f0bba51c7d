package org.pgeventstore.application.relay;

import java.time.Duration;

/**
 * How an {@link EventRelay} reads, publishes and waits.
 *
 * @param batchSize events read from the feed and published before the checkpoint moves once
 * @param pollInterval the longest wait for new events without a wake-up signal
 * @param retryInitialDelay the first wait after a batch the broker did not acknowledge; it doubles up to {@code retryMaxDelay}
 * @param retryMaxDelay the longest wait between two tries while the broker is out of reach
 * @param takeoverInterval how often a relay without the lease tries to take it
 */
public record RelaySettings(int batchSize, Duration pollInterval, Duration retryInitialDelay, Duration retryMaxDelay,
                            Duration takeoverInterval) {

    public static final RelaySettings DEFAULT = new RelaySettings(500, Duration.ofMillis(100), Duration.ofMillis(200),
            Duration.ofSeconds(10), Duration.ofSeconds(1));

    public RelaySettings {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be positive, was " + batchSize);
        }
        requirePositive(pollInterval, "pollInterval");
        requirePositive(retryInitialDelay, "retryInitialDelay");
        requirePositive(retryMaxDelay, "retryMaxDelay");
        requirePositive(takeoverInterval, "takeoverInterval");
    }

    private static void requirePositive(Duration duration, String name) {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + duration);
        }
    }

    public RelaySettings withBatchSize(int size) {
        return new RelaySettings(size, pollInterval, retryInitialDelay, retryMaxDelay, takeoverInterval);
    }

    public RelaySettings withRetryDelays(Duration initial, Duration max) {
        return new RelaySettings(batchSize, pollInterval, initial, max, takeoverInterval);
    }

    public RelaySettings withTakeoverInterval(Duration interval) {
        return new RelaySettings(batchSize, pollInterval, retryInitialDelay, retryMaxDelay, interval);
    }
}
