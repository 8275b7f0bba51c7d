package org.pgeventstore.bootstrap;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.math.BigDecimal;
import java.time.Duration;
import org.pgeventstore.application.aggregate.RetryPolicy;

/**
 * The order rules an operator may change, under {@code eventstore.orders}: the shipping
 * policy (a flat fee, waived from a subtotal threshold) and, under {@code eventstore.orders.retry},
 * the retry of commands that lose a concurrency race.
 */
@ConfigurationProperties("eventstore.orders")
public class OrderConfiguration {

    private BigDecimal shippingFlatFee = new BigDecimal("5.00");
    private BigDecimal freeShippingThreshold = new BigDecimal("50.00");

    public BigDecimal getShippingFlatFee() {
        return shippingFlatFee;
    }

    public void setShippingFlatFee(BigDecimal shippingFlatFee) {
        this.shippingFlatFee = shippingFlatFee;
    }

    public BigDecimal getFreeShippingThreshold() {
        return freeShippingThreshold;
    }

    public void setFreeShippingThreshold(BigDecimal freeShippingThreshold) {
        this.freeShippingThreshold = freeShippingThreshold;
    }

    /** A command without If-Match that loses a concurrency race is decided again, with jittered backoff. */
    @ConfigurationProperties("retry")
    public static class Retry extends RetryConfiguration {

        public Retry() {
            super(10, Duration.ofMillis(5), Duration.ofMillis(200));
        }

        /** The policy these values make; an invalid value fails the startup, naming it. */
        public RetryPolicy policy() {
            try {
                return new RetryPolicy(getMaxAttempts(), getInitialDelay(), getMaxDelay());
            } catch (IllegalArgumentException invalid) {
                throw new IllegalArgumentException("eventstore.orders.retry: " + invalid.getMessage(), invalid);
            }
        }
    }
}
