package org.pgeventstore.application.order;

import java.util.Objects;
import org.pgeventstore.domain.order.Order;

/**
 * An order as rebuilt by a read, and the global position of the last event folded into it.
 * {@code order.version()} is the version it was rebuilt at.
 */
public record OrderState(Order order, long position) {

    public OrderState {
        Objects.requireNonNull(order, "order");
    }
}
