package org.pgeventstore.domain.order;

/**
 * A request to change one order, decided by {@link Order#decide}.
 *
 * <p>Commands validate their own shape in their constructors (throwing {@link InvalidOrderData});
 * whether the order's current state allows them is decided later and rejected with an
 * {@link OrderRejection}.
 */
public sealed interface OrderCommand permits PlaceOrder, AddItem, PayOrder, ShipOrder, DeliverOrder, CancelOrder {

    /** The order this command is for; also the id of the event stream to load. */
    OrderId orderId();

    /**
     * The command's stable name, e.g. {@code "PlaceOrder"}, for rejection messages and logs.
     * Spelled out rather than taken from the class so that renaming a class never changes it.
     */
    default String name() {
        return switch (this) {
            case PlaceOrder ignored -> "PlaceOrder";
            case AddItem ignored -> "AddItem";
            case PayOrder ignored -> "PayOrder";
            case ShipOrder ignored -> "ShipOrder";
            case DeliverOrder ignored -> "DeliverOrder";
            case CancelOrder ignored -> "CancelOrder";
        };
    }
}
