package org.pgeventstore.domain.order;

/**
 * A well-formed command that the order's current state does not allow. Thrown by
 * {@link Order#decide}; nothing was changed. The message says what happened in an operator's
 * words; the subclasses carry the details as fields.
 *
 * <p>The hierarchy is sealed so an adapter can map every case in an exhaustive {@code switch}.
 */
public abstract sealed class OrderRejection extends RuntimeException
        permits InvalidTransition, OrderNotFound, OrderAlreadyExists, PaymentMismatch, RefundExceedsPayment {

    private final OrderId orderId;

    OrderRejection(OrderId orderId, String message) {
        super(message);
        this.orderId = orderId;
    }

    /** The order the rejected command was for. */
    public OrderId orderId() {
        return orderId;
    }
}
