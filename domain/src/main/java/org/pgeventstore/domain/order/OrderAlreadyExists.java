package org.pgeventstore.domain.order;

/**
 * {@link PlaceOrder} was sent for an id that already has an order.
 * Message: {@code "order <id> has already been placed and cannot be placed again"}.
 */
public final class OrderAlreadyExists extends OrderRejection {

    public OrderAlreadyExists(OrderId orderId) {
        super(orderId, "order " + orderId + " has already been placed and cannot be placed again");
    }
}
