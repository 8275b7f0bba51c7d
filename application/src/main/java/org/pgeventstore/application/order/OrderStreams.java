package org.pgeventstore.application.order;

import org.pgeventstore.application.eventstore.StreamId;
import org.pgeventstore.domain.order.OrderId;

/** Where orders live in the event store: one stream per order, {@code order-<uuid>}, in category {@code order}. */
public final class OrderStreams {

    public static final String CATEGORY = "order";

    private OrderStreams() {
    }

    /** The stream of one order, e.g. {@code order-6f1c2b9e-3d4a-4e5f-9a8b-7c6d5e4f3a2b}. */
    public static StreamId streamOf(OrderId orderId) {
        return StreamId.of(CATEGORY + "-" + orderId.value());
    }
}
