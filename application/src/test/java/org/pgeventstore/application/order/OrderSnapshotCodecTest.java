package org.pgeventstore.application.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pgeventstore.application.order.OrderCommandFixtures.CONTEXT;
import static org.pgeventstore.application.order.OrderCommandFixtures.START;
import static org.pgeventstore.application.order.OrderCommandFixtures.newOrder;
import static org.pgeventstore.domain.order.OrderFixtures.MUGS;
import static org.pgeventstore.domain.order.OrderFixtures.POSTER;
import static org.pgeventstore.domain.order.OrderFixtures.money;

import java.nio.charset.StandardCharsets;
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
import org.pgeventstore.application.snapshot.StateBytes;
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
    private static final int SHAPE_SCHEMA_VERSION = 5;
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

    private static Snapshot snapshotOf(Order order, byte[] state, int schemaVersion) {
        return new Snapshot(OrderStreams.streamOf(order.id()), order.version(), 1, START, START, schemaVersion, state);
    }

    private Snapshot snapshotOf(Order order) {
        return snapshotOf(order, codec.encode(order), OrderSnapshotCodec.SCHEMA_VERSION);
    }

    /**
     * An order's state written field by field in the codec's order, with any field replaced: the
     * refusal tests change one field and keep the checksum right, so that the field is what is refused.
     */
    private static final class HandWritten {

        final List<String> header;
        String subtotal;
        String shippingCost;
        String total;
        String amountPaid;
        final Order order;
        final List<String> prices = new ArrayList<>();
        final List<Object[]> lines = new ArrayList<>();
        boolean extraByte;
        Integer priceCount;
        Integer lineCount;

        HandWritten(Order order) {
            this.order = order;
            header = new ArrayList<>(List.of(order.id().value().toString(), order.orderNumber(),
                    order.customerId().value(), order.status().name(), order.currency().getCurrencyCode()));
            subtotal = order.subtotal().amount().toPlainString();
            shippingCost = order.shippingCost().amount().toPlainString();
            total = order.total().amount().toPlainString();
            amountPaid = order.amountPaid().amount().toPlainString();
            for (LineItem item : order.lineItems()) {
                String price = item.unitPrice().amount().toPlainString();
                if (!prices.contains(price)) {
                    prices.add(price);
                }
                lines.add(new Object[] {item.productId(), item.sku(), item.name(), item.quantity(), prices.indexOf(price)});
            }
        }

        byte[] bytes() {
            StateBytes.Writer out = new StateBytes.Writer(256);
            header.forEach(out::text);
            out.text(subtotal).text(shippingCost).text(total).text(amountPaid);
            var address = order.shippingAddress();
            out.text(address.line1()).text(address.city()).text(address.country()).text(address.postalCode());
            out.instant(order.placedAt());
            for (Optional<Instant> at : List.of(order.paidAt(), order.shippedAt(), order.deliveredAt(), order.cancelledAt())) {
                out.bool(at.isPresent());
                at.ifPresent(out::instant);
            }
            out.varint(order.version());
            out.varint(priceCount == null ? prices.size() : priceCount);
            prices.forEach(out::text);
            out.varint(lineCount == null ? lines.size() : lineCount);
            for (Object[] line : lines) {
                out.text((String) line[0]).text((String) line[1]).text((String) line[2])
                        .varint((Integer) line[3]).varint((Integer) line[4]);
            }
            if (extraByte) {
                out.bool(false);
            }
            return out.finish();
        }
    }

    @Test
    @DisplayName("every state of an order's life decodes to an equal order")
    void roundTrip() {
        for (Order order : lifecycle()) {
            assertThat(codec.decode(snapshotOf(order))).as(order.status().name()).isEqualTo(order);
        }
    }

    @Test
    @DisplayName("the state holds each field in order: texts, money with two decimals, absent lifecycle times as a flag")
    void shape() {
        Order placed = lifecycle().getFirst();

        StateBytes.Reader in = StateBytes.Reader.of(codec.encode(placed));

        assertThat(in.text()).isEqualTo(placed.id().value().toString());
        assertThat(in.text()).isEqualTo(placed.orderNumber());
        assertThat(in.text()).isEqualTo(placed.customerId().value());
        assertThat(in.text()).isEqualTo("PLACED");
        assertThat(in.text()).isEqualTo(placed.currency().getCurrencyCode());
        assertThat(in.text()).as("subtotal").isEqualTo("25.00");
        in.text();
        in.text();
        assertThat(in.text()).as("amount paid").isEqualTo("0.00");
        assertThat(List.of(in.text(), in.text(), in.text(), in.text())).containsExactly(placed.shippingAddress().line1(),
                placed.shippingAddress().city(), placed.shippingAddress().country(), placed.shippingAddress().postalCode());
        assertThat(in.instant()).isEqualTo(placed.placedAt());
        assertThat(List.of(in.bool(), in.bool(), in.bool(), in.bool())).as("paid, shipped, delivered, cancelled")
                .containsOnly(false);
        assertThat(in.varint()).as("version").isEqualTo(1);
    }

    @Test
    @DisplayName("each distinct price is written once, and lines refer to it by its index")
    void pricesOnce() {
        Order withItem = lifecycle().get(1);
        LineItem third = new LineItem("p-third", "THIRD", "Third line", 3, MUGS.unitPrice());
        Order three = withLines(withItem, List.of(MUGS, POSTER, third));

        HandWritten expected = new HandWritten(three);

        assertThat(expected.prices).containsExactly("12.50", "19.99");
        assertThat(expected.lines).extracting(line -> line[4]).containsExactly(0, 1, 0);
        assertThat(codec.encode(three)).as("the codec writes what the hand-written state says").isEqualTo(expected.bytes());
        assertThat(codec.decode(snapshotOf(three))).isEqualTo(three);
    }

    @Test
    @DisplayName("a long order's lines, in order, with texts beyond ASCII, and an order whose lines are all the same price")
    void manyLines() {
        Order placed = lifecycle().getFirst();
        List<LineItem> lines = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            lines.add(new LineItem("p-" + i, "SKU-" + i, "Widget \u00e9\u2615 " + i, 1 + i % 7,
                    money(i % 3 == 0 ? "19.99" : (i % 100) + ".05")));
        }
        Order many = withLines(placed, lines);
        Order samePrice = withLines(placed, lines.stream()
                .map(line -> new LineItem(line.productId(), line.sku(), line.name(), 1, MUGS.unitPrice())).toList());

        assertThat(codec.decode(snapshotOf(many))).isEqualTo(many);
        assertThat(codec.decode(snapshotOf(samePrice))).isEqualTo(samePrice);
        assertThat(new HandWritten(samePrice).prices).hasSize(1);
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

        private void assertRefused(byte[] state, String reason) {
            assertThatThrownBy(() -> codec.decode(snapshotOf(paid, state, OrderSnapshotCodec.SCHEMA_VERSION)))
                    .isInstanceOf(UnreadableSnapshot.class).hasMessageContaining(reason);
        }

        @Test
        @DisplayName("a snapshot of another schema version is refused, even when its state would decode")
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
        @DisplayName("the hand-written state of the tests below is the codec's, so each refusal is of the field it changes")
        void handWrittenIsTheCodecs() {
            assertThat(new HandWritten(paid).bytes()).isEqualTo(codec.encode(paid));
        }

        @Test
        @DisplayName("a state cut short, with any one byte altered, empty, or of another encoding (the JSON of schema 4) is refused")
        void damaged() {
            byte[] state = codec.encode(paid);

            assertRefused(Arrays.copyOf(state, state.length - 1), "checksum does not match");
            for (int at = 0; at < state.length; at++) {
                byte[] altered = state.clone();
                altered[at] ^= 0x10;
                assertRefused(altered, "checksum does not match");
            }
            assertRefused(new byte[0], "too few for its checksum");
            assertRefused("{\"id\":\"2f1c\",\"status\":\"PAID\",\"version\":3}".getBytes(StandardCharsets.UTF_8),
                    "checksum does not match");
        }

        @Test
        @DisplayName("a well-formed state with bytes left over, an unknown status or a bad amount is refused")
        void invalidFields() {
            HandWritten extra = new HandWritten(paid);
            extra.extraByte = true;
            assertRefused(extra.bytes(), "1 bytes are left after the last field");

            HandWritten status = new HandWritten(paid);
            status.header.set(3, "LOST");
            assertRefused(status.bytes(), "status is not the status of a placed order: LOST");

            HandWritten notPlaced = new HandWritten(paid);
            notPlaced.header.set(3, "NOT_PLACED");
            assertRefused(notPlaced.bytes(), "status is not the status of a placed order");

            HandWritten negative = new HandWritten(paid);
            negative.amountPaid = "-3.00";
            assertRefused(negative.bytes(), "amountPaid must not be negative");

            HandWritten notANumber = new HandWritten(paid);
            notANumber.total = "a lot";
            assertRefused(notANumber.bytes(), "total is not a decimal number");
        }
    }

    @Nested
    @DisplayName("never mis-reads line items")
    class NeverMisreadsLines {

        private final Order withItem = lifecycle().get(1);

        private void assertRefused(HandWritten state, String reason) {
            assertThatThrownBy(() -> codec.decode(snapshotOf(withItem, state.bytes(), OrderSnapshotCodec.SCHEMA_VERSION)))
                    .isInstanceOf(UnreadableSnapshot.class).hasMessageContaining(reason);
        }

        @Test
        @DisplayName("a price index outside the prices, an invalid line or an invalid price is refused, naming it")
        void badValues() {
            HandWritten index = new HandWritten(withItem);
            index.lines.get(1)[4] = 7;
            assertRefused(index, "lineItems[1].unitPrice is not an index of prices: 7");

            HandWritten zero = new HandWritten(withItem);
            zero.lines.get(1)[3] = 0;
            assertRefused(zero, "lineItems[1].quantity must be positive");

            HandWritten blank = new HandWritten(withItem);
            blank.lines.get(0)[2] = " ";
            assertRefused(blank, "lineItems[0].name");

            HandWritten price = new HandWritten(withItem);
            price.prices.set(0, "-1");
            assertRefused(price, "lineItems.prices[0]");
        }

        @Test
        @DisplayName("more lines or prices claimed than the state has bytes for are refused before anything is allocated for them")
        void countsBeyondTheState() {
            HandWritten lines = new HandWritten(withItem);
            lines.lineCount = 1_000_000_000;
            assertRefused(lines, "claims 1000000000 line items in");

            HandWritten prices = new HandWritten(withItem);
            prices.priceCount = 1_000_000_000;
            assertRefused(prices, "claims 1000000000 prices in");

            // A state whose first text claims to be longer than the state itself.
            byte[] longText = new StateBytes.Writer(16).varint(1_000_000).finish();
            assertThatThrownBy(() -> codec.decode(snapshotOf(withItem, longText, OrderSnapshotCodec.SCHEMA_VERSION)))
                    .isInstanceOf(UnreadableSnapshot.class).hasMessageContaining("past the state's end");
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
