package org.pgeventstore.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.pgeventstore.application.eventstore.NewEvent;

/**
 * The event that the append cases and their baselines write: an order line added, with the
 * size and metadata of a real one. The baseline rows carry exactly these texts.
 */
final class EventShapes {

    static final String TYPE = "OrderItemAdded";

    static final String DATA = """
            {"lineItem":{"productId":"p-1","sku":"SKU-1","name":"Widget","quantity":2,"unitPrice":19.99},\
            "orderNumber":"ORD-000042","customerId":"3f0e9a52-8a4e-4c57-9a43-2b0c1f6e7d10",\
            "subtotal":39.98,"shippingCost":5.00,"total":44.98}""";

    static final String METADATA = """
            {"correlationId":"0d6f3c1e-2b1a-4c8e-9f10-7a6b5c4d3e2f","causationId":null,"userId":"benchmark",\
            "command":"AddItem"}""";

    private EventShapes() {
    }

    static List<NewEvent> batch(int size) {
        List<NewEvent> events = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            events.add(new NewEvent(UUID.randomUUID(), TYPE, DATA, METADATA));
        }
        return events;
    }
}
