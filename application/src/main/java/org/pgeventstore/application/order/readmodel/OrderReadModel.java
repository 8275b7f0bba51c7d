package org.pgeventstore.application.order.readmodel;

import java.util.Optional;
import org.pgeventstore.domain.order.OrderId;

/**
 * Queries of the order read model. It answers as of its projection's checkpoint, which may trail
 * the event store by the projection's lag.
 */
public interface OrderReadModel {

    /** A page of orders, newest first. */
    OrderListPage list(OrderListQuery query);

    /** The row of one order, empty when the projection has not applied its placement. */
    Optional<OrderRow> find(OrderId orderId);

    /** The projection's checkpoint: every order event at or below it is reflected. */
    long appliedPosition();

    /**
     * The read model to ask when the answer must reflect {@code position} (a command response's
     * position): one that reads where the projection writes returns itself, and the caller waits
     * on its {@link #appliedPosition()}; one that reads from a replica returns the replica once it
     * has replayed the projection that far (waiting for a bounded time), else the primary's.
     */
    default OrderReadModel reflecting(long position) {
        return this;
    }
}
