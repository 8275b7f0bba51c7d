package org.pgeventstore.application.order;

import org.pgeventstore.domain.order.OrderId;

/**
 * An idempotency key that already placed an order, or already ran a command on one, was sent
 * again with a different request (other customer, items or address; another command, or other
 * arguments). Nothing was appended. The key itself is not carried, as clients may treat keys as
 * secrets. Message: {@code "the idempotency key already placed order <id> with a different request"}.
 */
public final class IdempotencyKeyReused extends RuntimeException {

    private final OrderId orderId;

    public IdempotencyKeyReused(OrderId orderId) {
        this(orderId, "the idempotency key already placed order " + orderId + " with a different request");
    }

    private IdempotencyKeyReused(OrderId orderId, String message) {
        super(message);
        this.orderId = orderId;
    }

    /** The key already ran {@code firstCommand} on the order, with other arguments or as another command. */
    public static IdempotencyKeyReused onCommand(OrderId orderId, String firstCommand) {
        return new IdempotencyKeyReused(orderId, "the idempotency key already ran " + firstCommand + " on order "
                + orderId + " with a different request");
    }

    /** The order the key placed first. */
    public OrderId orderId() {
        return orderId;
    }
}
