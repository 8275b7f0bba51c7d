package org.pgeventstore.application.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class SnapshotPolicyTest {

    @Test
    @DisplayName("never: not even after a million events at any rate")
    void never() {
        SnapshotPolicy never = SnapshotPolicy.never();

        assertThat(never.shouldSnapshot("order", 1_000_000, 0)).isFalse();
        assertThat(never.shouldSnapshot("order", 1_000_000, 1_000)).isFalse();
    }

    @Nested
    @DisplayName("every N events")
    class EveryEvents {

        @Test
        @DisplayName("snapshots once N events gathered since the latest snapshot, whatever the rate")
        void threshold() {
            SnapshotPolicy every100 = SnapshotPolicy.everyEvents(100);

            assertThat(every100.shouldSnapshot("order", 99, 1_000)).isFalse();
            assertThat(every100.shouldSnapshot("order", 100, 0)).isTrue();
            assertThat(every100.shouldSnapshot("order", 250, 0)).isTrue();
        }

        @Test
        @DisplayName("N must be 1 or more")
        void positive() {
            assertThatThrownBy(() -> SnapshotPolicy.everyEvents(0)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    @DisplayName("adaptive")
    class Adaptive {

        private final SnapshotPolicy.Adaptive adaptive = new SnapshotPolicy.Adaptive(20, 500, 1.0);

        @Test
        @DisplayName("a quiet stream waits for the maximum; at the half rate the threshold is half of it")
        void anchors() {
            assertThat(adaptive.threshold(0)).isEqualTo(500);
            assertThat(adaptive.threshold(1.0)).isEqualTo(250);
            assertThat(adaptive.threshold(4.0)).isEqualTo(100);
            assertThat(adaptive.threshold(9.0)).isEqualTo(50);
        }

        @Test
        @DisplayName("the threshold shrinks as the rate grows, never grows, and stays within the bounds")
        void shrinksWithRate() {
            long previous = Long.MAX_VALUE;
            for (double rate = 0; rate <= 10_000; rate = rate == 0 ? 0.001 : rate * 1.5) {
                long threshold = adaptive.threshold(rate);
                assertThat(threshold).as("rate %s", rate).isLessThanOrEqualTo(previous).isBetween(20L, 500L);
                previous = threshold;
            }
            assertThat(previous).as("a very busy stream is snapshotted at the minimum").isEqualTo(20);
        }

        @Test
        @DisplayName("a busier stream is snapshotted sooner: the same count snapshots a busy stream, not a quiet one")
        void busierSooner() {
            assertThat(adaptive.shouldSnapshot("order", 100, 0.01)).isFalse();
            assertThat(adaptive.shouldSnapshot("order", 100, 10)).isTrue();
            assertThat(adaptive.shouldSnapshot("order", 19, 1_000_000)).isFalse();
            assertThat(adaptive.shouldSnapshot("order", 20, 1_000_000)).isTrue();
            assertThat(adaptive.shouldSnapshot("order", 500, 0)).isTrue();
        }

        @Test
        @DisplayName("a rate that is not a number or negative counts as quiet, an infinite one as the busiest")
        void oddRates() {
            assertThat(adaptive.threshold(Double.NaN)).isEqualTo(500);
            assertThat(adaptive.threshold(-5)).isEqualTo(500);
            assertThat(adaptive.threshold(Double.POSITIVE_INFINITY)).isEqualTo(20);
        }

        @Test
        @DisplayName("bounds must be ordered and positive, the half rate a positive number")
        void validated() {
            assertThatThrownBy(() -> SnapshotPolicy.adaptive(0, 500, 1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> SnapshotPolicy.adaptive(600, 500, 1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> SnapshotPolicy.adaptive(20, 500, 0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> SnapshotPolicy.adaptive(20, 500, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    @DisplayName("by category: a category's own policy, the default for the others")
    void byCategory() {
        SnapshotPolicy policy = SnapshotPolicy.byCategory(
                Map.of("order", SnapshotPolicy.everyEvents(10), "audit", SnapshotPolicy.never()),
                SnapshotPolicy.everyEvents(100));

        assertThat(policy.shouldSnapshot("order", 10, 0)).isTrue();
        assertThat(policy.shouldSnapshot("audit", 10_000, 0)).isFalse();
        assertThat(policy.shouldSnapshot("cart", 10, 0)).isFalse();
        assertThat(policy.shouldSnapshot("cart", 100, 0)).isTrue();
    }
}
