package org.pgeventstore.domain.order;

/**
 * The command is not allowed in the order's current status, e.g. paying an order that has
 * already shipped. Message: {@code "cannot PayOrder an order that is shipped (order <id>)"}.
 */
public final class InvalidTransition extends OrderRejection {

    private final OrderStatus status;
    private final String command;

    public InvalidTransition(OrderId orderId, OrderStatus status, String command) {
        super(orderId, "cannot " + command + " an order that is " + status.inWords() + " (order " + orderId + ")");
        this.status = status;
        this.command = command;
    }

    /** The order's status when the command arrived. */
    public OrderStatus status() {
        return status;
    }

    /** The rejected command's {@link OrderCommand#name() name}. */
    public String command() {
        return command;
    }
}
