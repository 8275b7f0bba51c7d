package org.pgeventstore.domain.order;

/**
 * A command other than {@link PlaceOrder} was sent for an order that was never placed.
 * Message: {@code "cannot ShipOrder order <id>: no such order has been placed"}.
 */
public final class OrderNotFound extends OrderRejection {

    private final String command;

    public OrderNotFound(OrderId orderId, String command) {
        super(orderId, "cannot " + command + " order " + orderId + ": no such order has been placed");
        this.command = command;
    }

    /** The rejected command's {@link OrderCommand#name() name}. */
    public String command() {
        return command;
    }
}
