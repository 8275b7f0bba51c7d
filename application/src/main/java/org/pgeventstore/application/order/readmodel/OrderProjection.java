package org.pgeventstore.application.order.readmodel;

import java.util.Objects;
import java.util.Optional;
import org.pgeventstore.application.eventstore.RecordedEvent;
import org.pgeventstore.application.order.CorruptEvent;
import org.pgeventstore.application.order.OrderEventRegistry;
import org.pgeventstore.domain.order.Order;
import org.pgeventstore.domain.order.OrderEvent;
import org.pgeventstore.domain.order.OrderPlaced;

/**
 * The handler of the order read model: what one event of category {@code order} does to its
 * order's row. Pure; the adapters run it inside their transaction.
 */
public final class OrderProjection {

    /** The checkpoint name of the order read model. */
    public static final String NAME = "orders";

    /** What an event does to a row. */
    public sealed interface Change {
        /** The row as it must be stored after the event. */
        record Apply(OrderRow row) implements Change {
        }

        /** The row already holds this event (its version is not above the row's): nothing to do. */
        record AlreadyApplied(long rowVersion) implements Change {
        }
    }

    private final OrderEventRegistry registry;

    public OrderProjection(OrderEventRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /**
     * The change {@code recorded} makes to {@code current}, the row of its order (empty before
     * the order is placed).
     *
     * @throws CorruptEvent when the event cannot be read or does not follow the row: a version
     *     gap (an event before it was never applied) or an impossible history
     * @throws org.pgeventstore.application.order.UnknownEventType for an event type the registry cannot read
     */
    public Change apply(Optional<OrderRow> current, RecordedEvent recorded) {
        long rowVersion = current.map(OrderRow::version).orElse(0L);
        if (recorded.version() <= rowVersion) {
            return new Change.AlreadyApplied(rowVersion);
        }
        if (recorded.version() != rowVersion + 1) {
            throw new CorruptEvent(recorded.streamId(), recorded.version(), recorded.type(),
                    "the read model row is at version " + rowVersion + ", so version " + (rowVersion + 1)
                            + " was never applied", null);
        }
        OrderEvent event = registry.fromRecorded(recorded);
        Order state = current.map(OrderRow::order).orElse(Order.initial());
        if (event instanceof OrderPlaced placed && !recorded.streamId().equals("order-" + placed.orderId())) {
            throw new CorruptEvent(recorded.streamId(), recorded.version(), recorded.type(),
                    "it places order " + placed.orderId() + " in another order's stream", null);
        }
        try {
            return new Change.Apply(new OrderRow(Order.evolve(state, event), recorded.position()));
        } catch (IllegalStateException impossible) {
            throw new CorruptEvent(recorded.streamId(), recorded.version(), recorded.type(), impossible.getMessage(),
                    impossible);
        }
    }

    /**
     * The row once an operator has skipped {@code recorded}: the order as it was, at the event's
     * version, so that the stream's later events follow it. Empty when the order has no row (its
     * placement is what was skipped), or when the row already holds the event.
     *
     * @throws CorruptEvent when the event does not follow the row (a version gap)
     */
    public Optional<OrderRow> skip(Optional<OrderRow> current, RecordedEvent recorded) {
        long rowVersion = current.map(OrderRow::version).orElse(0L);
        if (recorded.version() <= rowVersion || current.isEmpty() && recorded.version() == 1) {
            return Optional.empty();
        }
        if (current.isEmpty() || recorded.version() != rowVersion + 1) {
            throw new CorruptEvent(recorded.streamId(), recorded.version(), recorded.type(),
                    "the read model row is at version " + rowVersion + ", so version " + (rowVersion + 1)
                            + " was never applied", null);
        }
        return Optional.of(new OrderRow(atVersion(current.get().order(), recorded.version()), current.get().lastPosition()));
    }

    /** The order unchanged but for its version: what a skipped event leaves of it. */
    static Order atVersion(Order o, long version) {
        if (!o.exists()) {
            return o;
        }
        return new Order(o.id(), o.orderNumber(), o.customerId(), o.status(), o.lineItems(), o.subtotal(),
                o.shippingCost(), o.total(), o.currency(), o.shippingAddress(), o.placedAt(), o.paidAt(), o.shippedAt(),
                o.deliveredAt(), o.cancelledAt(), o.amountPaid(), version);
    }
}
