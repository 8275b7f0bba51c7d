package org.pgeventstore.application.order.readmodel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.pgeventstore.application.eventstore.NewEvent;
import org.pgeventstore.application.eventstore.RecordedEvent;
import org.pgeventstore.application.order.CorruptEvent;
import org.pgeventstore.application.order.OrderEventRegistry;
import org.pgeventstore.domain.order.CustomerId;
import org.pgeventstore.domain.order.LineItem;
import org.pgeventstore.domain.order.Money;
import org.pgeventstore.domain.order.OrderEvent;
import org.pgeventstore.domain.order.OrderId;
import org.pgeventstore.domain.order.OrderPaid;
import org.pgeventstore.domain.order.OrderPlaced;
import org.pgeventstore.domain.order.OrderStatus;
import org.pgeventstore.domain.order.PlaceOrder;
import org.pgeventstore.domain.order.ShippingAddress;

class OrderProjectionTest {

    private static final Instant AT = Instant.parse("2026-01-10T09:00:00Z");
    private final OrderEventRegistry registry = new OrderEventRegistry();
    private final OrderProjection projection = new OrderProjection(registry);
    private final OrderId id = new OrderId(UUID.randomUUID());

    private RecordedEvent recorded(OrderEvent event, long version, long position) {
        return recorded(event, version, position, AT);
    }

    /** The event as the store recorded it at {@code occurredAt}, the time the read model takes. */
    private RecordedEvent recorded(OrderEvent event, long version, long position, java.time.Instant occurredAt) {
        NewEvent stored = registry.toNewEvent(event, UUID.randomUUID(), "{}");
        return new RecordedEvent(stored.eventId(), "order-" + id, stored.type(), stored.schemaVersion(), version, position,
                stored.data(), stored.metadata(), occurredAt);
    }

    private OrderPlaced placed() {
        return new OrderPlaced(id, "ORD-1", new CustomerId("c-1"),
                List.of(new LineItem("p", "SKU", "Mug", 1, Money.of("10.00"))),
                new ShippingAddress("1 Main St", "Springfield", "US", "12345"),
                Money.of("10.00"), Money.of("5.00"), Money.of("15.00"), PlaceOrder.DEFAULT_CURRENCY, AT);
    }

    private OrderRow placedRow() {
        return ((OrderProjection.Change.Apply) projection.apply(Optional.empty(), recorded(placed(), 1, 100))).row();
    }

    @Test
    @DisplayName("OrderPlaced creates the row at version 1 with the event's position")
    void placing() {
        OrderRow row = placedRow();
        assertThat(row.version()).isEqualTo(1);
        assertThat(row.lastPosition()).isEqualTo(100);
        assertThat(row.order().status()).isEqualTo(OrderStatus.PLACED);
        assertThat(row.order().total()).isEqualTo(Money.of("15.00"));
    }

    @Test
    @DisplayName("the next version changes the row; its position becomes the row's last position")
    void nextVersion() {
        var change = projection.apply(Optional.of(placedRow()),
                recorded(new OrderPaid(Money.of("15.00"), "card", AT), 2, 200, AT.plusSeconds(5)));
        OrderRow row = ((OrderProjection.Change.Apply) change).row();
        assertThat(row.version()).isEqualTo(2);
        assertThat(row.lastPosition()).isEqualTo(200);
        assertThat(row.order().status()).isEqualTo(OrderStatus.PAID);
        assertThat(row.order().paidAt()).contains(AT.plusSeconds(5));
    }

    @Test
    @DisplayName("an event the row already holds is recognised, not applied again")
    void alreadyApplied() {
        var change = projection.apply(Optional.of(placedRow()), recorded(placed(), 1, 100));
        assertThat(change).isEqualTo(new OrderProjection.Change.AlreadyApplied(1));
    }

    @Test
    @DisplayName("a version gap is refused: an event before it was never applied")
    void gap() {
        assertThatThrownBy(() -> projection.apply(Optional.of(placedRow()),
                recorded(new OrderPaid(Money.of("15.00"), "card", AT), 3, 300)))
                .isInstanceOf(CorruptEvent.class)
                .hasMessageContaining("version 2 was never applied");
    }

    @Test
    @DisplayName("an event other than OrderPlaced on an order without a row is refused")
    void missingPlacement() {
        assertThatThrownBy(() -> projection.apply(Optional.empty(),
                recorded(new OrderPaid(Money.of("15.00"), "card", AT), 1, 300)))
                .isInstanceOf(CorruptEvent.class);
    }
}
