package org.pgeventstore.domain.order;

/**
 * A fact that happened to one order, produced by {@link Order#decide} and folded into state by
 * {@link Order#evolve}.
 *
 * <p>Events are history: their constructors only refuse missing (null) parts and never re-check
 * business rules, so a stream written under older rules can always be read back.
 */
public sealed interface OrderEvent
        permits OrderPlaced, OrderItemAdded, OrderPaid, OrderShipped, OrderDelivered, OrderCancelled {

    /**
     * The event's stable type name, e.g. {@code "OrderPlaced"}, suitable as the stored event type.
     * Spelled out rather than taken from the class so that renaming a class never orphans stored
     * events.
     */
    default String type() {
        return switch (this) {
            case OrderPlaced ignored -> "OrderPlaced";
            case OrderItemAdded ignored -> "OrderItemAdded";
            case OrderPaid ignored -> "OrderPaid";
            case OrderShipped ignored -> "OrderShipped";
            case OrderDelivered ignored -> "OrderDelivered";
            case OrderCancelled ignored -> "OrderCancelled";
        };
    }
}
