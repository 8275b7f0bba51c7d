package org.pgeventstore.benchmarks;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.pgeventstore.application.eventstore.EventStore;
import org.pgeventstore.application.eventstore.ExpectedVersion;
import org.pgeventstore.application.eventstore.NewEvent;
import org.pgeventstore.application.order.OrderEventRegistry;
import org.pgeventstore.application.order.OrderStreams;
import org.pgeventstore.domain.order.CustomerId;
import org.pgeventstore.domain.order.LineItem;
import org.pgeventstore.domain.order.Money;
import org.pgeventstore.domain.order.OrderId;
import org.pgeventstore.domain.order.OrderItemAdded;
import org.pgeventstore.domain.order.OrderPlaced;
import org.pgeventstore.domain.order.PlaceOrder;
import org.pgeventstore.domain.order.ShippingAddress;

/**
 * Orders of a given length for the load cases: placed with one line, then a line added per
 * event. The events are the registry's own shapes with consistent amounts, appended in chunks
 * (deciding 100,000 commands one by one would measure the writer, not the load).
 */
final class BenchmarkOrders {

    private static final int CHUNK = 1_000;
    private static final Money UNIT_PRICE = Money.of("19.99");
    private static final Money SHIPPING = Money.of("5.00");

    private BenchmarkOrders() {
    }

    /** Appends an order of {@code events} events and returns its id. */
    static OrderId append(EventStore store, OrderEventRegistry registry, int events) {
        OrderId orderId = new OrderId(UUID.randomUUID());
        String metadata = EventShapes.METADATA;
        List<NewEvent> chunk = new ArrayList<>(CHUNK);
        long version = 0;
        Money subtotal = UNIT_PRICE;
        Instant placedAt = Instant.parse("2026-01-01T00:00:00Z");
        chunk.add(registry.toNewEvent(new OrderPlaced(orderId, "ORD-BENCH-" + events, new CustomerId("c-bench"),
                List.of(line(0)), new ShippingAddress("1 Main St", "Springfield", "US", "12345"),
                subtotal, SHIPPING, subtotal.plus(SHIPPING), PlaceOrder.DEFAULT_CURRENCY, placedAt), UUID.randomUUID(),
                metadata));
        for (int i = 1; i < events; i++) {
            subtotal = subtotal.plus(UNIT_PRICE);
            chunk.add(registry.toNewEvent(new OrderItemAdded(line(i), subtotal, SHIPPING, subtotal.plus(SHIPPING)),
                    UUID.randomUUID(), metadata));
            if (chunk.size() == CHUNK) {
                version = store.append(OrderStreams.streamOf(orderId), ExpectedVersion.exactly(version), chunk).lastVersion();
                chunk = new ArrayList<>(CHUNK);
            }
        }
        if (!chunk.isEmpty()) {
            store.append(OrderStreams.streamOf(orderId), ExpectedVersion.exactly(version), chunk);
        }
        return orderId;
    }

    private static LineItem line(int i) {
        return new LineItem("p-" + i, "SKU-" + i, "Widget " + i, 1, UNIT_PRICE);
    }
}
