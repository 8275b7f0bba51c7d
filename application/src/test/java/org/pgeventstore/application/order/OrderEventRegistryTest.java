package org.pgeventstore.application.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pgeventstore.application.order.OrderCommandFixtures.json;
import static org.pgeventstore.domain.order.OrderFixtures.ADDRESS;
import static org.pgeventstore.domain.order.OrderFixtures.CUSTOMER;
import static org.pgeventstore.domain.order.OrderFixtures.MUGS;
import static org.pgeventstore.domain.order.OrderFixtures.POSTER;
import static org.pgeventstore.domain.order.OrderFixtures.money;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Currency;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.pgeventstore.application.eventstore.NewEvent;
import org.pgeventstore.application.eventstore.RecordedEvent;
import org.pgeventstore.domain.order.LineItem;
import org.pgeventstore.domain.order.Money;
import org.pgeventstore.domain.order.OrderCancelled;
import org.pgeventstore.domain.order.OrderDelivered;
import org.pgeventstore.domain.order.OrderEvent;
import org.pgeventstore.domain.order.OrderId;
import org.pgeventstore.domain.order.OrderItemAdded;
import org.pgeventstore.domain.order.OrderPaid;
import org.pgeventstore.domain.order.OrderPlaced;
import org.pgeventstore.domain.order.OrderShipped;

class OrderEventRegistryTest {

    private static final OrderId ORDER_ID = new OrderId(UUID.fromString("6f1c2b9e-3d4a-4e5f-9a8b-7c6d5e4f3a2b"));
    private static final String STREAM = "order-" + ORDER_ID;
    private static final Instant AT = Instant.parse("2026-01-10T09:00:00.123456Z");

    private final OrderEventRegistry registry = new OrderEventRegistry();

    private static OrderPlaced placed() {
        return new OrderPlaced(ORDER_ID, "ORD-42", CUSTOMER, List.of(MUGS, POSTER), ADDRESS,
                money("44.99"), money("5.00"), money("49.99"), Currency.getInstance("GBP"), AT);
    }

    static Stream<OrderEvent> everyShape() {
        return Stream.of(
                placed(),
                new OrderItemAdded(POSTER, money("64.98"), money("0.00"), money("64.98")),
                new OrderPaid(money("49.99"), "card", AT),
                new OrderShipped("TRACK-1", "DHL", Optional.of(LocalDate.parse("2026-01-14")), AT),
                new OrderShipped("TRACK-1", "DHL", Optional.empty(), AT),
                new OrderDelivered(AT, Optional.of("J. Doe")),
                new OrderDelivered(AT, Optional.empty()),
                new OrderDelivered(AT.minusSeconds(3600), Optional.of("J. Doe"), true),
                new OrderCancelled("changed my mind", "customer-7", money("0.00"), AT));
    }

    private RecordedEvent stored(NewEvent event) {
        return new RecordedEvent(event.eventId(), STREAM, event.type(), event.schemaVersion(), 3, 17, event.data(),
                event.metadata(), AT);
    }

    private RecordedEvent stored(String type, String data) {
        return stored(type, data, "{}");
    }

    private RecordedEvent stored(String type, String data, String metadata) {
        return new RecordedEvent(UUID.randomUUID(), STREAM, type, 3, 17, data, metadata, AT);
    }

    @Nested
    @DisplayName("round trip")
    class RoundTrip {

        @ParameterizedTest(name = "{0}")
        @MethodSource("org.pgeventstore.application.order.OrderEventRegistryTest#everyShape")
        @DisplayName("every event reads back equal to what was written, under its type name")
        void roundTrip(OrderEvent event) {
            UUID eventId = UUID.randomUUID();
            NewEvent written = registry.toNewEvent(event, eventId, "{\"correlationId\":\"c\"}");

            assertThat(written.eventId()).isEqualTo(eventId);
            assertThat(written.type()).isEqualTo(event.type());
            assertThat(written.metadata()).isEqualTo("{\"correlationId\":\"c\"}");
            assertThat(registry.fromRecorded(stored(written))).isEqualTo(event);
        }

        @Test
        @DisplayName("the samples cover every event type the domain has, and the registry reads each")
        void everyTypeCovered() {
            List<String> sampled = everyShape().map(OrderEvent::type).distinct().sorted().toList();
            List<String> domainTypes = Arrays.stream(OrderEvent.class.getPermittedSubclasses())
                    .map(Class::getSimpleName).sorted().toList();

            assertThat(sampled).isEqualTo(domainTypes);
            assertThat(registry.types()).containsExactlyElementsOf(domainTypes);
        }

        @Test
        @DisplayName("amounts survive exactly, even where a double would round them")
        void amountsAreExact() {
            Money large = money("12345678901234567.89");
            var paid = new OrderPaid(large, "wire", AT);

            String data = registry.dataOf(paid);

            assertThat(data).contains("\"amount\":12345678901234567.89");
            assertThat(((OrderPaid) registry.fromRecorded(stored("OrderPaid", data))).amount()).isEqualTo(large);
        }
    }

    @Nested
    @DisplayName("stored JSON")
    class StoredJson {

        @Test
        @DisplayName("OrderPlaced: ids as text, money as numbers with two decimals, no time (the store records it)")
        void placedShape() {
            assertThat(registry.dataOf(placed())).isEqualTo("""
                    {"orderId":"6f1c2b9e-3d4a-4e5f-9a8b-7c6d5e4f3a2b","orderNumber":"ORD-42","customerId":"customer-7",\
                    "lineItems":[{"productId":"p-mug","sku":"MUG-BLUE","name":"Blue mug","quantity":2,"unitPrice":12.50},\
                    {"productId":"p-poster","sku":"POSTER-A2","name":"Harbour poster","quantity":1,"unitPrice":19.99}],\
                    "shippingAddress":{"line1":"1 Harbour Street","city":"Bristol","country":"GB","postalCode":"BS1 4DJ"},\
                    "subtotal":44.99,"shippingCost":5.00,"total":49.99,"currency":"GBP"}""");
        }

        @Test
        @DisplayName("the other events have the documented members")
        void otherShapes() {
            assertThat(registry.dataOf(new OrderItemAdded(POSTER, money("64.98"), money("0"), money("64.98"))))
                    .isEqualTo("{\"lineItem\":{\"productId\":\"p-poster\",\"sku\":\"POSTER-A2\",\"name\":\"Harbour poster\","
                            + "\"quantity\":1,\"unitPrice\":19.99},\"subtotal\":64.98,\"shippingCost\":0.00,\"total\":64.98}");
            assertThat(registry.dataOf(new OrderPaid(money("49.9"), "card", AT)))
                    .isEqualTo("{\"amount\":49.90,\"method\":\"card\"}");
            assertThat(registry.dataOf(new OrderShipped("T-1", "DHL", Optional.of(LocalDate.parse("2026-01-14")), AT)))
                    .isEqualTo("{\"trackingNumber\":\"T-1\",\"carrier\":\"DHL\",\"estimatedDelivery\":\"2026-01-14\"}");
            assertThat(registry.dataOf(new OrderDelivered(AT, Optional.of("J. Doe"))))
                    .isEqualTo("{\"signedBy\":\"J. Doe\"}");
            assertThat(registry.dataOf(new OrderDelivered(AT, Optional.of("J. Doe"), true)))
                    .isEqualTo("{\"deliveredAt\":\"2026-01-10T09:00:00.123456Z\",\"signedBy\":\"J. Doe\"}");
            assertThat(registry.dataOf(new OrderCancelled("too slow", "ops", money("10"), AT)))
                    .isEqualTo("{\"reason\":\"too slow\",\"cancelledBy\":\"ops\",\"refundAmount\":10.00}");
        }

        @Test
        @DisplayName("an empty optional is left out rather than written as null")
        void emptyOptionalsAreAbsent() {
            assertThat(json(registry.dataOf(new OrderShipped("T-1", "DHL", Optional.empty(), AT))).has("estimatedDelivery"))
                    .isFalse();
            assertThat(json(registry.dataOf(new OrderDelivered(AT, Optional.empty()))).has("signedBy")).isFalse();
        }

        @Test
        @DisplayName("an explicit null reads as an empty optional")
        void nullReadsAsEmpty() {
            OrderEvent read = registry.fromRecorded(stored("OrderShipped",
                    "{\"trackingNumber\":\"T-1\",\"carrier\":\"DHL\",\"estimatedDelivery\":null,\"shippedAt\":\"2026-01-10T09:00:00Z\"}"));

            assertThat(read).isEqualTo(new OrderShipped("T-1", "DHL", Optional.empty(), AT));
        }

        @Test
        @DisplayName("the time of an event is the store's, whatever time older data held from the writer's clock")
        void timeIsTheStores() {
            Instant writersClock = AT.plusSeconds(90);
            String[][] olderShapes = {
                    {"OrderPaid", "{\"amount\":1.00,\"method\":\"card\",\"paidAt\":\"" + writersClock + "\"}"},
                    {"OrderShipped", "{\"trackingNumber\":\"T-1\",\"carrier\":\"DHL\",\"shippedAt\":\"" + writersClock + "\"}"},
                    {"OrderCancelled", "{\"reason\":\"r\",\"cancelledBy\":\"c\",\"refundAmount\":0,\"cancelledAt\":\""
                            + writersClock + "\"}"}};
            assertThat(((OrderPaid) registry.fromRecorded(stored(olderShapes[0][0], olderShapes[0][1]))).paidAt()).isEqualTo(AT);
            assertThat(((OrderShipped) registry.fromRecorded(stored(olderShapes[1][0], olderShapes[1][1]))).shippedAt())
                    .isEqualTo(AT);
            assertThat(((OrderCancelled) registry.fromRecorded(stored(olderShapes[2][0], olderShapes[2][1]))).cancelledAt())
                    .isEqualTo(AT);
            var storedV2 = new RecordedEvent(UUID.randomUUID(), STREAM, "OrderPlaced", 2, 1, 17,
                    registry.dataOf(placed()).replace("\"currency\":\"GBP\"}", "\"currency\":\"GBP\",\"placedAt\":\""
                            + writersClock + "\"}"), "{}", AT);
            assertThat(((OrderPlaced) registry.fromRecorded(storedV2)).placedAt()).isEqualTo(AT);
        }

        @Test
        @DisplayName("a delivery time is kept when the carrier reported it, and older deliveries' times read as reported")
        void reportedDelivery() {
            Instant reported = AT.minusSeconds(3600);
            OrderDelivered v1 = (OrderDelivered) registry.fromRecorded(stored("OrderDelivered",
                    "{\"deliveredAt\":\"" + reported + "\"}"));
            assertThat(v1).isEqualTo(new OrderDelivered(reported, Optional.empty(), true));
            var unreported = new RecordedEvent(UUID.randomUUID(), STREAM, "OrderDelivered", 2, 3, 17, "{}", "{}", AT);
            assertThat(registry.fromRecorded(unreported)).isEqualTo(new OrderDelivered(AT, Optional.empty(), false));
        }

        @Test
        @DisplayName("amounts written with fewer decimals, or as whole numbers, read as the same money")
        void lenientDecimals() {
            OrderEvent read = registry.fromRecorded(stored("OrderPaid",
                    "{\"amount\":49.9,\"method\":\"card\",\"paidAt\":\"2026-01-10T09:00:00Z\"}"));
            OrderEvent whole = registry.fromRecorded(stored("OrderPaid",
                    "{\"amount\":50,\"method\":\"card\",\"paidAt\":\"2026-01-10T09:00:00Z\"}"));

            assertThat(((OrderPaid) read).amount()).isEqualTo(money("49.90"));
            assertThat(((OrderPaid) whole).amount()).isEqualTo(money("50.00"));
        }
    }

    @Nested
    @DisplayName("unreadable events")
    class Unreadable {

        @Test
        @DisplayName("an unknown type names the stream, the version and the type")
        void unknownType() {
            assertThatThrownBy(() -> registry.fromRecorded(stored("OrderTeleported", "{}")))
                    .isInstanceOfSatisfying(UnknownEventType.class, unknown -> {
                        assertThat(unknown.streamId()).isEqualTo(STREAM);
                        assertThat(unknown.version()).isEqualTo(3);
                        assertThat(unknown.type()).isEqualTo("OrderTeleported");
                        assertThat(unknown.schemaVersion()).isEqualTo(1);
                    })
                    .hasMessage("no reader for event type OrderTeleported (schema version 1) at version 3 of stream " + STREAM);
        }

        @Test
        @DisplayName("a known type at a schema version without a reader is unknown too")
        void unknownSchemaVersion() {
            String data = registry.dataOf(new OrderPaid(money("1"), "card", AT));

            var fromTheFuture = new RecordedEvent(UUID.randomUUID(), STREAM, "OrderPaid", 3, 3, 17, data, "{}", AT);
            assertThatThrownBy(() -> registry.fromRecorded(fromTheFuture))
                    .isInstanceOfSatisfying(UnknownEventType.class, unknown -> assertThat(unknown.schemaVersion()).isEqualTo(3));
        }

        @Test
        @DisplayName("data that is not JSON is corrupt")
        void notJson() {
            assertThatThrownBy(() -> registry.fromRecorded(stored("OrderPaid", "{\"amount\":")))
                    .isInstanceOfSatisfying(CorruptEvent.class, corrupt -> {
                        assertThat(corrupt.streamId()).isEqualTo(STREAM);
                        assertThat(corrupt.version()).isEqualTo(3);
                        assertThat(corrupt.type()).isEqualTo("OrderPaid");
                        assertThat(corrupt.reason()).startsWith("data is not valid JSON");
                    });
        }

        @Test
        @DisplayName("a missing member is named")
        void missingMember() {
            assertThatThrownBy(() -> registry.fromRecorded(stored("OrderPaid", "{\"amount\":1.00}")))
                    .isInstanceOfSatisfying(CorruptEvent.class,
                            corrupt -> assertThat(corrupt.reason()).isEqualTo("data field method is missing"));
        }

        @Test
        @DisplayName("an invalid nested value is named by its path")
        void invalidNestedValue() {
            String data = registry.dataOf(placed()).replace("\"unitPrice\":19.99", "\"unitPrice\":\"cheap\"");

            assertThatThrownBy(() -> registry.fromRecorded(stored("OrderPlaced", data)))
                    .isInstanceOfSatisfying(CorruptEvent.class, corrupt -> assertThat(corrupt.reason())
                            .isEqualTo("data field lineItems[1].unitPrice is not a number: \"cheap\""));
        }

        @Test
        @DisplayName("a quantity that is not a whole number is corrupt")
        void fractionalQuantity() {
            String data = registry.dataOf(placed()).replace("\"quantity\":2", "\"quantity\":2.5");

            assertThatThrownBy(() -> registry.fromRecorded(stored("OrderPlaced", data)))
                    .isInstanceOfSatisfying(CorruptEvent.class, corrupt -> assertThat(corrupt.reason())
                            .startsWith("data field lineItems[0].quantity is not a whole number"));
        }

        @Test
        @DisplayName("a malformed instant is corrupt")
        void badInstant() {
            assertThatThrownBy(() -> registry.fromRecorded(stored("OrderDelivered", "{\"deliveredAt\":\"yesterday\"}")))
                    .isInstanceOfSatisfying(CorruptEvent.class, corrupt -> assertThat(corrupt.reason())
                            .isEqualTo("data field deliveredAt is not an ISO-8601 instant: yesterday"));
        }

        @Test
        @DisplayName("data that is a JSON array rather than an object is corrupt")
        void notAnObject() {
            assertThatThrownBy(() -> registry.fromRecorded(stored("OrderPaid", "[]")))
                    .isInstanceOf(CorruptEvent.class)
                    .hasMessageContaining("data is not a JSON object");
        }
    }

    @Test
    @DisplayName("line items read back in order, never merged")
    void lineItemsKeepOrder() {
        LineItem again = MUGS;
        var twice = new OrderPlaced(ORDER_ID, "ORD-42", CUSTOMER, List.of(MUGS, POSTER, again), ADDRESS,
                money("69.99"), money("0"), money("69.99"), Currency.getInstance("GBP"), AT);

        OrderPlaced read = (OrderPlaced) registry.fromRecorded(stored("OrderPlaced", registry.dataOf(twice)));

        assertThat(read.lineItems()).containsExactly(MUGS, POSTER, MUGS);
    }
}
