package org.pgeventstore.application.aggregate;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How often a command that lost an optimistic-concurrency race is tried again, and how long to
 * wait in between: exponential backoff with full jitter. Before retry {@code n} (the first retry
 * is 1) the pause is uniform in {@code [0, min(maxDelay, initialDelay * 2^(n-1))]}; the jitter
 * spreads writers that collided so they do not collide again in lockstep.
 *
 * @param maxAttempts how many times a command is tried in all, the first try included (at least 1)
 * @param initialDelay the ceiling of the first pause
 * @param maxDelay the ceiling no pause exceeds, however many retries
 */
public record RetryPolicy(int maxAttempts, Duration initialDelay, Duration maxDelay) {

    // Declared first: the constants below are checked against it while the class initialises.
    private static final Duration LONGEST_DELAY = Duration.ofMinutes(1);

    /** 10 attempts, pauses growing from at most 5 ms to at most 200 ms. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(10, Duration.ofMillis(5), Duration.ofMillis(200));

    /** Tries once: a conflict surfaces at once. */
    public static final RetryPolicy NO_RETRY = new RetryPolicy(1, Duration.ZERO, Duration.ZERO);

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        }
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (initialDelay.isNegative() || maxDelay.compareTo(initialDelay) < 0 || maxDelay.compareTo(LONGEST_DELAY) > 0) {
            throw new IllegalArgumentException("delays must satisfy 0 <= initialDelay (" + initialDelay
                    + ") <= maxDelay (" + maxDelay + ") <= " + LONGEST_DELAY);
        }
    }

    /** The longest pause before retry {@code retry} (1 for the first retry). */
    public Duration ceilingBefore(int retry) {
        if (retry < 1) {
            throw new IllegalArgumentException("retries are numbered from 1, was " + retry);
        }
        long initial = initialDelay.toNanos();
        long max = maxDelay.toNanos();
        int doublings = Math.min(retry - 1, 62);
        // Compared before shifting, so the doubling never overflows.
        long ceiling = initial > (max >> doublings) ? max : initial << doublings;
        return Duration.ofNanos(ceiling);
    }

    /** A pause before retry {@code retry}, drawn uniformly from zero to {@link #ceilingBefore}. */
    public Duration delayBefore(int retry, RandomGenerator random) {
        return Duration.ofNanos(random.nextLong(ceilingBefore(retry).toNanos() + 1));
    }
}
