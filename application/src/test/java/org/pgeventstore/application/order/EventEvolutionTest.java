package org.pgeventstore.application.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Currency;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.pgeventstore.application.eventstore.RecordedEvent;
import org.pgeventstore.domain.order.OrderPlaced;
import org.pgeventstore.domain.order.PlaceOrder;

/** Stored events stay readable after their shapes change: upcasters, schema versions, aliases. */
class EventEvolutionTest {

    private static final String STREAM = "order-6f1c2b9e-3d4a-4e5f-9a8b-7c6d5e4f3a2b";
    private static final Instant AT = Instant.parse("2025-06-01T10:00:00Z");

    /** OrderPlaced exactly as the first schema stored it, before orders recorded a currency. */
    private static final String PLACED_V1 = """
            {"orderId":"6f1c2b9e-3d4a-4e5f-9a8b-7c6d5e4f3a2b","orderNumber":"ORD-7K2M9QXA4T","customerId":"c-1",\
            "lineItems":[{"productId":"p-1","sku":"SKU-1","name":"Widget","quantity":2,"unitPrice":12.50}],\
            "shippingAddress":{"line1":"1 Main St","city":"Springfield","country":"US","postalCode":"12345"},\
            "subtotal":25.00,"shippingCost":5.00,"total":30.00,"placedAt":"2025-06-01T10:00:00Z"}""";

    private final OrderEventRegistry registry = new OrderEventRegistry();

    private static RecordedEvent stored(String type, int schemaVersion, String data) {
        return new RecordedEvent(UUID.randomUUID(), STREAM, type, schemaVersion, 1, 65_536, data, "{}", AT);
    }

    @Test
    @DisplayName("OrderPlaced is written in schema version 3, with its currency and without the writer's clock")
    void writesCurrentShape() {
        OrderPlaced placed = (OrderPlaced) registry.fromRecorded(stored("OrderPlaced", 1, PLACED_V1));
        var written = registry.toNewEvent(placed, UUID.randomUUID(), "{}");
        assertThat(written.schemaVersion()).isEqualTo(3);
        assertThat(written.data()).contains("\"currency\":\"USD\"").doesNotContain("placedAt");
        assertThat(placed.placedAt()).as("the store's time, not the one v1 data held").isEqualTo(AT);
    }

    @Test
    @DisplayName("a version 1 OrderPlaced is upcast: its currency is the one every order had then")
    void upcastsVersionOne() {
        OrderPlaced placed = (OrderPlaced) registry.fromRecorded(stored("OrderPlaced", 1, PLACED_V1));
        assertThat(placed.currency()).isEqualTo(PlaceOrder.DEFAULT_CURRENCY);
        assertThat(placed.total().toString()).isEqualTo("30.00");
        assertThat(placed.orderNumber()).isEqualTo("ORD-7K2M9QXA4T");
    }

    @Test
    @DisplayName("a version 2 OrderPlaced keeps its own currency")
    void readsVersionTwo() {
        String v2 = PLACED_V1.replace("\"placedAt\"", "\"currency\":\"EUR\",\"placedAt\"");
        OrderPlaced placed = (OrderPlaced) registry.fromRecorded(stored("OrderPlaced", 2, v2));
        assertThat(placed.currency()).isEqualTo(Currency.getInstance("EUR"));
    }

    @Test
    @DisplayName("the history view shows an old event in the current shape, with the current schema version")
    void currentShapeForHistory() {
        RecordedEvent old = stored("OrderPlaced", 1, PLACED_V1);
        RecordedEvent shown = registry.inCurrentShape(old);
        assertThat(shown.schemaVersion()).isEqualTo(3);
        assertThat(shown.data()).contains("\"currency\":\"USD\"");
        assertThat(shown.eventId()).isEqualTo(old.eventId());
        assertThat(shown.position()).isEqualTo(old.position());
    }

    @Test
    @DisplayName("a renamed type is read through its alias")
    void alias() {
        var renamed = registry.withAlias("OrderCreated", "OrderPlaced");
        OrderPlaced placed = (OrderPlaced) renamed.fromRecorded(stored("OrderCreated", 1, PLACED_V1));
        assertThat(placed.currency()).isEqualTo(PlaceOrder.DEFAULT_CURRENCY);
        assertThat(renamed.inCurrentShape(stored("OrderCreated", 1, PLACED_V1)).type()).isEqualTo("OrderPlaced");
        assertThatThrownBy(() -> registry.fromRecorded(stored("OrderCreated", 1, PLACED_V1)))
                .as("without the alias the old name is unknown").isInstanceOf(UnknownEventType.class);
        assertThatThrownBy(() -> registry.withAlias("Old", "NoSuchType")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("a schema version newer than this registry knows is a clear error naming stream, version, type and schema")
    void futureVersion() {
        assertThatThrownBy(() -> registry.fromRecorded(stored("OrderPlaced", 4, PLACED_V1)))
                .isInstanceOfSatisfying(UnknownEventType.class, unknown -> {
                    assertThat(unknown.schemaVersion()).isEqualTo(4);
                    assertThat(unknown.streamId()).isEqualTo(STREAM);
                    assertThat(unknown.version()).isEqualTo(1);
                    assertThat(unknown.type()).isEqualTo("OrderPlaced");
                })
                .hasMessageContaining("OrderPlaced").hasMessageContaining("schema version 4")
                .hasMessageContaining(STREAM);
    }

    @Test
    @DisplayName("a version 1 event with a currency that is not ISO 4217 after upcasting is corrupt, not skipped")
    void corruptAfterUpcast() {
        String bad = PLACED_V1.replace("\"placedAt\"", "\"currency\":\"XXZ\",\"placedAt\"");
        assertThatThrownBy(() -> registry.fromRecorded(stored("OrderPlaced", 1, bad))).isInstanceOf(CorruptEvent.class);
    }
}
