package org.pgeventstore.application.order.readmodel;

import java.util.Objects;
import org.pgeventstore.domain.order.Order;

/**
 * One row of the order read model: the order as its events fold it, and the global position of
 * the last event applied to it. {@code order.version()} is the version of that event.
 */
public record OrderRow(Order order, long lastPosition) {

    public OrderRow {
        Objects.requireNonNull(order, "order");
        if (!order.exists()) {
            throw new IllegalArgumentException("a read model row holds a placed order");
        }
    }

    public long version() {
        return order.version();
    }
}
