package org.pgeventstore.application.order;

import org.pgeventstore.domain.order.OrderId;

/**
 * An idempotency key that already placed an order was sent again with a different request
 * (other customer, items or address). Nothing was appended. The key itself is not carried, as
 * clients may treat keys as secrets. Message:
 * {@code "the idempotency key already placed order <id> with a different request"}.
 */
public final class IdempotencyKeyReused extends RuntimeException {

    private final OrderId orderId;

    public IdempotencyKeyReused(OrderId orderId) {
        super("the idempotency key already placed order " + orderId + " with a different request");
        this.orderId = orderId;
    }

    /** The order the key placed first. */
    public OrderId orderId() {
        return orderId;
    }
}
