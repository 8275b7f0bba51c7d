package org.pgeventstore.application.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pgeventstore.application.order.OrderCommandFixtures.CONTEXT;
import static org.pgeventstore.application.order.OrderCommandFixtures.START;
import static org.pgeventstore.application.order.OrderCommandFixtures.json;
import static org.pgeventstore.application.order.OrderCommandFixtures.newOrder;
import static org.pgeventstore.domain.order.OrderFixtures.MUGS;
import static org.pgeventstore.domain.order.OrderFixtures.POSTER;
import static org.pgeventstore.domain.order.OrderFixtures.money;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.pgeventstore.application.aggregate.RetryPolicy;
import org.pgeventstore.application.eventstore.InMemoryEventStore;
import org.pgeventstore.application.snapshot.Snapshot;
import org.pgeventstore.application.snapshot.UnreadableSnapshot;
import org.pgeventstore.domain.order.AddItem;
import org.pgeventstore.domain.order.CancelOrder;
import org.pgeventstore.domain.order.DeliverOrder;
import org.pgeventstore.domain.order.LineItem;
import org.pgeventstore.domain.order.Order;
import org.pgeventstore.domain.order.PayOrder;
import org.pgeventstore.domain.order.ShipOrder;

class OrderSnapshotCodecTest {

    /**
     * Order's components as of schema version 1. When this test fails, Order's shape changed:
     * update the codec, raise OrderSnapshotCodec.SCHEMA_VERSION, and record the new shape here.
     */
    private static final int SHAPE_SCHEMA_VERSION = 4;
    private static final String SHAPE = "id:OrderId, orderNumber:String, customerId:CustomerId, status:OrderStatus, "
            + "lineItems:List, subtotal:Money, shippingCost:Money, total:Money, currency:Currency, "
            + "shippingAddress:ShippingAddress, "
            + "placedAt:Instant, paidAt:Optional, shippedAt:Optional, deliveredAt:Optional, cancelledAt:Optional, "
            + "amountPaid:Money, version:long";

    private final OrderSnapshotCodec codec = new OrderSnapshotCodec();

    /** The states one order passes through: placed, with an item, paid, shipped, delivered; and another one cancelled after payment. */
    private static List<Order> lifecycle() {
        MutableClock clock = new MutableClock(START);
        var handler = OrderCommandFixtures.handler(new InMemoryEventStore(clock), clock, RetryPolicy.NO_RETRY, delay -> { });
        List<Order> states = new ArrayList<>();
        Order order = handler.place(newOrder(MUGS), CONTEXT).order();
        states.add(order);
        clock.advance(Duration.ofMinutes(5));
        states.add(order = handler.addItem(new AddItem(order.id(), POSTER), CONTEXT).order());
        clock.advance(Duration.ofMinutes(5));
        states.add(order = handler.pay(new PayOrder(order.id(), order.total(), "card"), CONTEXT).order());
        clock.advance(Duration.ofHours(5));
        states.add(order = handler.ship(new ShipOrder(order.id(), "TRK-1", "UPS", Optional.empty()), CONTEXT).order());
        clock.advance(Duration.ofDays(1));
        states.add(handler.deliver(new DeliverOrder(order.id(), Optional.empty(), Optional.of("Ada")), CONTEXT).order());
        Order other = handler.place(newOrder(POSTER), CONTEXT).order();
        other = handler.pay(new PayOrder(other.id(), other.total(), "card"), CONTEXT).order();
        states.add(handler.cancel(new CancelOrder(other.id(), "changed mind", "customer", Optional.of(money("10.00"))), CONTEXT).order());
        return states;
    }

    private static Snapshot snapshotOf(Order order, String state, int schemaVersion) {
        return new Snapshot(OrderStreams.streamOf(order.id()), order.version(), 1, START, START, schemaVersion, state);
    }

    private Snapshot snapshotOf(Order order) {
        return snapshotOf(order, codec.encode(order), OrderSnapshotCodec.SCHEMA_VERSION);
    }

    @Test
    @DisplayName("every state of an order's life decodes to an equal order")
    void roundTrip() {
        for (Order order : lifecycle()) {
            assertThat(codec.decode(snapshotOf(order))).as(order.status().name()).isEqualTo(order);
        }
    }

    @Test
    @DisplayName("the JSON names each field, money with two decimals and absent lifecycle times left out")
    void shape() {
        Order placed = lifecycle().getFirst();

        String text = codec.encode(placed);
        var json = json(text);

        assertThat(json.get("status").asText()).isEqualTo("PLACED");
        assertThat(text).contains("\"subtotal\":25.00");
        assertThat(json.get("lineItems").get("sku").get(0).asText()).isEqualTo("MUG-BLUE");
        assertThat(json.get("version").asLong()).isEqualTo(1);
        assertThat(json.has("paidAt")).isFalse();
    }

    @Test
    @DisplayName("line items are columns, each distinct price written once and referred to by its index")
    void lineItemColumns() {
        Order withItem = lifecycle().get(1);
        LineItem second = new LineItem("p-third", "THIRD", "Third line", 3, MUGS.unitPrice());
        Order three = withLines(withItem, List.of(MUGS, POSTER, second));

        String text = codec.encode(three);
        var columns = json(text).get("lineItems");

        assertThat(columns.get("productId").toString()).isEqualTo("[\"p-mug\",\"p-poster\",\"p-third\"]");
        assertThat(columns.get("name").toString()).isEqualTo("[\"Blue mug\",\"Harbour poster\",\"Third line\"]");
        assertThat(columns.get("quantity").toString()).isEqualTo("[2,1,3]");
        assertThat(columns.get("unitPrice").toString()).isEqualTo("[0,1,0]");
        assertThat(text).contains("\"prices\":[12.50,19.99]");
        assertThat(codec.decode(snapshotOf(three))).isEqualTo(three);
    }

    @Test
    @DisplayName("a long order's lines, in order, and an order whose lines are all the same price")
    void manyLines() {
        Order placed = lifecycle().getFirst();
        List<LineItem> lines = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            lines.add(new LineItem("p-" + i, "SKU-" + i, "Widget " + i, 1 + i % 7, money(i % 3 == 0 ? "19.99" : (i % 100) + ".05")));
        }
        Order many = withLines(placed, lines);

        assertThat(codec.decode(snapshotOf(many))).isEqualTo(many);
    }

    private static Order withLines(Order order, List<LineItem> lines) {
        return new Order(order.id(), order.orderNumber(), order.customerId(), order.status(), lines,
                order.subtotal(), order.shippingCost(), order.total(), order.currency(), order.shippingAddress(),
                order.placedAt(), order.paidAt(), order.shippedAt(), order.deliveredAt(), order.cancelledAt(),
                order.amountPaid(), order.version());
    }

    @Test
    @DisplayName("an order that was never placed has no snapshot")
    void notPlaced() {
        assertThatThrownBy(() -> codec.encode(Order.initial())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("Order's shape is the one SCHEMA_VERSION describes (raise it when Order changes)")
    void shapeMatchesSchemaVersion() {
        String shape = Arrays.stream(Order.class.getRecordComponents())
                .map(component -> component.getName() + ":" + component.getType().getSimpleName())
                .collect(Collectors.joining(", "));

        assertThat(shape).isEqualTo(SHAPE);
        assertThat(OrderSnapshotCodec.SCHEMA_VERSION).isEqualTo(SHAPE_SCHEMA_VERSION);
    }

    @Nested
    @DisplayName("never mis-reads")
    class NeverMisreads {

        private final Order paid = lifecycle().get(2);

        @Test
        @DisplayName("a snapshot of another schema version is refused, even when its JSON would parse")
        void otherSchemaVersion() {
            for (int schema : new int[] {OrderSnapshotCodec.SCHEMA_VERSION - 1, OrderSnapshotCodec.SCHEMA_VERSION + 1}) {
                Snapshot other = snapshotOf(paid, codec.encode(paid), schema);

                assertThatThrownBy(() -> codec.decode(other))
                        .isInstanceOf(UnreadableSnapshot.class)
                        .hasMessageContaining("schema version is " + schema);
            }
        }

        @Test
        @DisplayName("a state at another version than its snapshot's is refused")
        void versionMismatch() {
            Snapshot shifted = new Snapshot(OrderStreams.streamOf(paid.id()), paid.version() + 1, 1, START, START,
                    OrderSnapshotCodec.SCHEMA_VERSION, codec.encode(paid));

            assertThatThrownBy(() -> codec.decode(shifted)).isInstanceOf(UnreadableSnapshot.class)
                    .hasMessageContaining("at version 3");
        }

        @Test
        @DisplayName("not JSON, not an object, a missing field, an unknown status or a bad amount are refused")
        void malformed() {
            ObjectNode missing = (ObjectNode) json(codec.encode(paid));
            missing.remove("total");
            ObjectNode status = (ObjectNode) json(codec.encode(paid));
            status.put("status", "LOST");
            ObjectNode amount = (ObjectNode) json(codec.encode(paid));
            amount.put("amountPaid", -3);
            ObjectNode notPlaced = (ObjectNode) json(codec.encode(paid));
            notPlaced.put("status", "NOT_PLACED");

            for (String state : List.of("not json", "[1, 2]", missing.toString(), status.toString(), amount.toString(),
                    notPlaced.toString())) {
                assertThatThrownBy(() -> codec.decode(snapshotOf(paid, state, OrderSnapshotCodec.SCHEMA_VERSION)))
                        .as(state).isInstanceOf(UnreadableSnapshot.class);
            }
        }
    }

    @Nested
    @DisplayName("never mis-reads line items")
    class NeverMisreadsLines {

        private final Order withItem = lifecycle().get(1);

        private ObjectNode state() {
            return (ObjectNode) json(codec.encode(withItem));
        }

        private ObjectNode columns(ObjectNode state) {
            return (ObjectNode) state.get("lineItems");
        }

        private void assertRefused(ObjectNode state, String reason) {
            assertThatThrownBy(() -> codec.decode(snapshotOf(withItem, state.toString(), OrderSnapshotCodec.SCHEMA_VERSION)))
                    .as(state.toString()).isInstanceOf(UnreadableSnapshot.class).hasMessageContaining(reason);
        }

        @Test
        @DisplayName("the previous shape, one object per line, is refused under this schema version")
        void objectPerLine() {
            ObjectNode state = state();
            var lines = state.putArray("lineItems");
            withItem.lineItems().forEach(item -> lines.add(OrderEventRegistry.lineItem(item)));

            assertRefused(state, "lineItems is not a JSON object of columns");
        }

        @Test
        @DisplayName("missing line items or a missing column are refused")
        void missing() {
            ObjectNode noLines = state();
            noLines.remove("lineItems");
            assertRefused(noLines, "lineItems is missing");

            for (String column : List.of("productId", "sku", "name", "quantity", "unitPrice", "prices")) {
                ObjectNode state = state();
                columns(state).remove(column);
                assertRefused(state, "lineItems." + column + " is missing");
            }
        }

        @Test
        @DisplayName("columns of different lengths are refused")
        void differentLengths() {
            ObjectNode state = state();
            columns(state).withArray("sku").add("EXTRA");

            assertRefused(state, "lineItems.sku has 3 values for 2 lines");
        }

        @Test
        @DisplayName("a price index outside the prices, a value of the wrong type or an invalid line is refused")
        void badValues() {
            ObjectNode index = state();
            columns(index).withArray("unitPrice").set(1, 7);
            assertRefused(index, "lineItems.unitPrice[1] is not an index of prices: 7");

            ObjectNode text = state();
            columns(text).withArray("name").set(0, 3);
            assertRefused(text, "lineItems.name[0] is not a string");

            ObjectNode quantity = state();
            columns(quantity).withArray("quantity").set(0, "two");
            assertRefused(quantity, "lineItems.quantity[0] is not a whole number");

            ObjectNode zero = state();
            columns(zero).withArray("quantity").set(1, 0);
            assertRefused(zero, "lineItems[1].quantity must be positive");

            ObjectNode price = state();
            columns(price).withArray("prices").set(0, -1);
            assertRefused(price, "lineItems.prices[0]");
        }
    }

    @Test
    @DisplayName("instants keep their nanoseconds")
    void preciseInstants() {
        Order placed = lifecycle().getFirst();
        Instant precise = Instant.parse("2026-01-10T09:00:00.123456789Z");
        Order withPrecise = new Order(placed.id(), placed.orderNumber(), placed.customerId(), placed.status(),
                placed.lineItems(), placed.subtotal(), placed.shippingCost(), placed.total(), placed.currency(),
                placed.shippingAddress(),
                precise, Optional.of(precise), Optional.empty(), Optional.empty(), Optional.empty(), placed.amountPaid(),
                placed.version());

        assertThat(codec.decode(snapshotOf(withPrecise))).isEqualTo(withPrecise);
    }
}
