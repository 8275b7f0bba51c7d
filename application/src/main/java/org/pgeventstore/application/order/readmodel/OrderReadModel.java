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
}
