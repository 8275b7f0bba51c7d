package org.pgeventstore.bootstrap;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.math.BigDecimal;
import java.time.Duration;

/**
 * The order rules an operator may change, under {@code eventstore.orders}: the shipping
 * policy (a flat fee, waived from a subtotal threshold) and the retry of commands that
 * lose a concurrency race.
 */
@ConfigurationProperties("eventstore.orders")
public class OrderConfiguration {

    private BigDecimal shippingFlatFee = new BigDecimal("5.00");
    private BigDecimal freeShippingThreshold = new BigDecimal("50.00");
    private int retryMaxAttempts = 10;
    private Duration retryInitialDelay = Duration.ofMillis(5);
    private Duration retryMaxDelay = Duration.ofMillis(200);

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

    public int getRetryMaxAttempts() {
        return retryMaxAttempts;
    }

    public void setRetryMaxAttempts(int retryMaxAttempts) {
        this.retryMaxAttempts = retryMaxAttempts;
    }

    public Duration getRetryInitialDelay() {
        return retryInitialDelay;
    }

    public void setRetryInitialDelay(Duration retryInitialDelay) {
        this.retryInitialDelay = retryInitialDelay;
    }

    public Duration getRetryMaxDelay() {
        return retryMaxDelay;
    }

    public void setRetryMaxDelay(Duration retryMaxDelay) {
        this.retryMaxDelay = retryMaxDelay;
    }
}
