package org.pgeventstore.application.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    @Test
    @DisplayName("the default tries 10 times with pauses from at most 5 ms up to at most 200 ms")
    void defaults() {
        assertThat(RetryPolicy.DEFAULT.maxAttempts()).isEqualTo(10);
        assertThat(RetryPolicy.DEFAULT.initialDelay()).isEqualTo(millis(5));
        assertThat(RetryPolicy.DEFAULT.maxDelay()).isEqualTo(millis(200));
    }

    @Test
    @DisplayName("the ceiling doubles with each retry and stops at maxDelay")
    void ceilingsDoubleThenCap() {
        RetryPolicy policy = RetryPolicy.DEFAULT;

        assertThat(IntStream.rangeClosed(1, 9).mapToObj(policy::ceilingBefore).toList())
                .containsExactly(millis(5), millis(10), millis(20), millis(40), millis(80), millis(160),
                        millis(200), millis(200), millis(200));
        assertThat(policy.ceilingBefore(Integer.MAX_VALUE)).isEqualTo(millis(200));
    }

    @Test
    @DisplayName("pauses are spread over the whole range from zero to the ceiling (full jitter)")
    void fullJitter() {
        RetryPolicy policy = RetryPolicy.DEFAULT;
        var random = new SplittableRandom(42);
        Set<Long> millisSeen = new HashSet<>();

        for (int i = 0; i < 2_000; i++) {
            Duration delay = policy.delayBefore(3, random);
            assertThat(delay).isBetween(Duration.ZERO, millis(20));
            millisSeen.add(delay.toMillis());
        }

        assertThat(millisSeen).contains(0L, 19L).hasSizeGreaterThan(15);
    }

    @Test
    @DisplayName("nonsense settings are refused")
    void validation() {
        assertThatThrownBy(() -> new RetryPolicy(0, millis(5), millis(200))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetryPolicy(3, millis(50), millis(10))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetryPolicy(3, millis(-1), millis(10))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetryPolicy(3, millis(1), Duration.ofHours(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RetryPolicy.DEFAULT.ceilingBefore(0)).isInstanceOf(IllegalArgumentException.class);
    }

    private static Duration millis(long millis) {
        return Duration.ofMillis(millis);
    }
}
