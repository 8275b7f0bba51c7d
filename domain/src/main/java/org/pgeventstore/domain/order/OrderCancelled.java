package org.pgeventstore.domain.order;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * An order was cancelled before shipment. {@code refundAmount} is what the customer gets back:
 * zero for an unpaid order, at most what was paid for a paid one.
 */
public record OrderCancelled(String reason, String cancelledBy, Money refundAmount, Instant cancelledAt)
        implements OrderEvent {

    public OrderCancelled {
        requireNonNull(reason, "reason");
        requireNonNull(cancelledBy, "cancelledBy");
        requireNonNull(refundAmount, "refundAmount");
        requireNonNull(cancelledAt, "cancelledAt");
    }
}
