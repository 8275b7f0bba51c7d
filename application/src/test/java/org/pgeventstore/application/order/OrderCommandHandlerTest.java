package org.pgeventstore.application.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pgeventstore.application.order.OrderCommandFixtures.CONTEXT;
import static org.pgeventstore.application.order.OrderCommandFixtures.START;
import static org.pgeventstore.application.order.OrderCommandFixtures.json;
import static org.pgeventstore.application.order.OrderCommandFixtures.newOrder;
import static org.pgeventstore.domain.order.OrderFixtures.ADDRESS;
import static org.pgeventstore.domain.order.OrderFixtures.CUSTOMER;
import static org.pgeventstore.domain.order.OrderFixtures.MUGS;
import static org.pgeventstore.domain.order.OrderFixtures.POSTER;
import static org.pgeventstore.domain.order.OrderFixtures.money;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.pgeventstore.application.aggregate.CommandContext;
import org.pgeventstore.application.aggregate.RetryPolicy;
import org.pgeventstore.application.aggregate.VersionCondition;
import org.pgeventstore.application.eventstore.DuplicateEventId;
import org.pgeventstore.application.eventstore.EventFilter;
import org.pgeventstore.application.eventstore.EventStore;
import org.pgeventstore.application.eventstore.InMemoryEventStore;
import org.pgeventstore.application.eventstore.RecordedEvent;
import org.pgeventstore.application.eventstore.StreamId;
import org.pgeventstore.application.eventstore.StreamSlice;
import org.pgeventstore.domain.order.AddItem;
import org.pgeventstore.domain.order.CancelOrder;
import org.pgeventstore.domain.order.DeliverOrder;
import org.pgeventstore.domain.order.InvalidOrderData;
import org.pgeventstore.domain.order.InvalidTransition;
import org.pgeventstore.domain.order.Order;
import org.pgeventstore.domain.order.OrderAlreadyExists;
import org.pgeventstore.domain.order.OrderCancelled;
import org.pgeventstore.domain.order.OrderDelivered;
import org.pgeventstore.domain.order.OrderId;
import org.pgeventstore.domain.order.OrderItemAdded;
import org.pgeventstore.domain.order.OrderNotFound;
import org.pgeventstore.domain.order.OrderPaid;
import org.pgeventstore.domain.order.OrderPlaced;
import org.pgeventstore.domain.order.OrderShipped;
import org.pgeventstore.domain.order.OrderStatus;
import org.pgeventstore.domain.order.PayOrder;
import org.pgeventstore.domain.order.PaymentMismatch;
import org.pgeventstore.domain.order.ShipOrder;
import org.pgeventstore.domain.order.ShippingPolicy;

class OrderCommandHandlerTest {

    private final MutableClock clock = new MutableClock(START);
    private final InMemoryEventStore store = new InMemoryEventStore(clock);
    private final OrderEventRegistry registry = new OrderEventRegistry();
    private final List<Duration> sleeps = new ArrayList<>();
    private final OrderCommandHandler handler = OrderCommandFixtures.handler(store, clock, RetryPolicy.DEFAULT, sleeps::add);

    private List<RecordedEvent> streamOf(OrderId orderId) {
        return store.read(OrderStreams.streamOf(orderId), 1, 1000).events();
    }

    private List<RecordedEvent> everything() {
        return store.readAll(0, 1000, EventFilter.ALL).events();
    }

    private OrderId placeMugs() {
        return handler.place(newOrder(MUGS), CONTEXT).order().id();
    }

    @Nested
    @DisplayName("place")
    class Place {

        @Test
        @DisplayName("appends OrderPlaced to a new order-<uuid> stream under the supplied id and number")
        void placesNewOrder() {
            OrderCommandResult result = handler.place(newOrder(MUGS, POSTER), CONTEXT);

            Order order = result.order();
            OrderId expectedId = new OrderId(new UUID(0, 1));
            assertThat(order.id()).isEqualTo(expectedId);
            assertThat(order.orderNumber()).isEqualTo("ORD-1");
            assertThat(order.customerId()).isEqualTo(CUSTOMER);
            assertThat(order.shippingAddress()).isEqualTo(ADDRESS);
            assertThat(order.status()).isEqualTo(OrderStatus.PLACED);
            assertThat(order.lineItems()).containsExactly(MUGS, POSTER);
            assertThat(order.subtotal()).isEqualTo(money("44.99"));
            assertThat(order.shippingCost()).isEqualTo(money("5.00"));
            assertThat(order.total()).isEqualTo(money("49.99"));
            assertThat(order.placedAt()).isEqualTo(START);
            assertThat(order.version()).isEqualTo(1);
            assertThat(result.replayed()).isFalse();

            List<RecordedEvent> stream = streamOf(expectedId);
            assertThat(stream).singleElement().satisfies(event -> {
                assertThat(event.streamId()).isEqualTo("order-00000000-0000-0000-0000-000000000001");
                assertThat(event.type()).isEqualTo("OrderPlaced");
                assertThat(registry.fromRecorded(event)).isInstanceOf(OrderPlaced.class);
                assertThat(result.position()).isEqualTo(event.position());
            });
            assertThat(result.append().streamId()).isEqualTo(stream.getFirst().streamId());
            assertThat(OrderStreams.streamOf(expectedId).category()).isEqualTo("order");
        }

        @Test
        @DisplayName("stores the context and the command name as each event's metadata")
        void writesMetadata() {
            OrderId orderId = placeMugs();

            assertThat(json(streamOf(orderId).getFirst().metadata())).isEqualTo(json("""
                    {"correlationId":"corr-1","causationId":"cause-1","userId":"user-1","command":"PlaceOrder"}"""));
        }

        @Test
        @DisplayName("writes an absent causation or user as null")
        void writesNullsForAbsentIds() {
            OrderId orderId = handler.place(newOrder(MUGS), CommandContext.of("corr-2")).order().id();

            assertThat(json(streamOf(orderId).getFirst().metadata())).isEqualTo(json("""
                    {"correlationId":"corr-2","causationId":null,"userId":null,"command":"PlaceOrder"}"""));
        }

        @Test
        @DisplayName("appends without reading the new order's stream first")
        void appendsWithoutReading() {
            List<String> reads = new ArrayList<>();
            EventStore counting = new ForwardingEventStore(store) {
                @Override
                public StreamSlice read(StreamId stream, long fromVersion, int limit) {
                    reads.add(stream.value());
                    return super.read(stream, fromVersion, limit);
                }
            };
            OrderCommandHandler placing = OrderCommandFixtures.handler(counting, clock, RetryPolicy.DEFAULT, sleeps::add);

            OrderId orderId = placing.place(newOrder(MUGS), CONTEXT).order().id();

            assertThat(streamOf(orderId)).singleElement().satisfies(event -> assertThat(event.type()).isEqualTo("OrderPlaced"));
            assertThat(reads).isEmpty();
        }

        @Test
        @DisplayName("refuses an order id that is taken as OrderAlreadyExists and appends nothing")
        void refusesTakenId() {
            UUID taken = new UUID(0, 7);
            Iterator<UUID> ids = List.of(taken, new UUID(0, 8), taken, new UUID(0, 9)).iterator();
            OrderCommandHandler clashing = new OrderCommandHandler(store, registry, ShippingPolicy.standard(), clock,
                    ids::next, id -> "ORD-" + id.value().getLeastSignificantBits(), RetryPolicy.DEFAULT, sleeps::add);
            clashing.place(newOrder(MUGS), CONTEXT);

            assertThatThrownBy(() -> clashing.place(newOrder(POSTER), CONTEXT))
                    .isInstanceOfSatisfying(OrderAlreadyExists.class,
                            exists -> assertThat(exists.getMessage()).contains(taken.toString()));
            assertThat(everything()).singleElement().satisfies(event -> assertThat(event.type()).isEqualTo("OrderPlaced"));
            assertThat(sleeps).isEmpty();
        }

        @Test
        @DisplayName("refuses an order without items and appends nothing")
        void refusesEmptyOrder() {
            assertThatThrownBy(() -> handler.place(newOrder(), CONTEXT))
                    .isInstanceOfSatisfying(InvalidOrderData.class, invalid -> assertThat(invalid.field()).isEqualTo("lineItems"));
            assertThat(everything()).isEmpty();
        }
    }

    @Nested
    @DisplayName("commands on a placed order")
    class Lifecycle {

        private OrderId orderId;

        @BeforeEach
        void place() {
            orderId = placeMugs();
            clock.advance(Duration.ofMinutes(1));
        }

        @Test
        @DisplayName("add item appends OrderItemAdded and reprices the order")
        void addItem() {
            OrderCommandResult result = handler.addItem(new AddItem(orderId, POSTER), CONTEXT);

            assertThat(result.order().lineItems()).containsExactly(MUGS, POSTER);
            assertThat(result.order().total()).isEqualTo(money("49.99"));
            assertThat(result.version()).isEqualTo(2);
            assertThat(result.append().firstVersion()).isEqualTo(2);
            assertStoredLast(OrderItemAdded.class, "AddItem", result);
        }

        @Test
        @DisplayName("pay appends OrderPaid")
        void pay() {
            OrderCommandResult result = handler.pay(new PayOrder(orderId, money("30.00"), "card"), CONTEXT);

            assertThat(result.order().status()).isEqualTo(OrderStatus.PAID);
            assertThat(result.order().paidAt()).contains(clock.instant());
            assertStoredLast(OrderPaid.class, "PayOrder", result);
        }

        @Test
        @DisplayName("ship appends OrderShipped")
        void ship() {
            handler.pay(new PayOrder(orderId, money("30.00"), "card"), CONTEXT);

            OrderCommandResult result = handler.ship(
                    new ShipOrder(orderId, "TRACK-1", "DHL", Optional.of(LocalDate.parse("2026-01-14"))), CONTEXT);

            assertThat(result.order().status()).isEqualTo(OrderStatus.SHIPPED);
            assertThat(result.version()).isEqualTo(3);
            assertStoredLast(OrderShipped.class, "ShipOrder", result);
        }

        @Test
        @DisplayName("deliver appends OrderDelivered")
        void deliver() {
            handler.pay(new PayOrder(orderId, money("30.00"), "card"), CONTEXT);
            handler.ship(new ShipOrder(orderId, "TRACK-1", "DHL", Optional.empty()), CONTEXT);

            OrderCommandResult result = handler.deliver(new DeliverOrder(orderId, Optional.of("J. Doe")), CONTEXT);

            assertThat(result.order().status()).isEqualTo(OrderStatus.DELIVERED);
            assertThat(result.version()).isEqualTo(4);
            assertStoredLast(OrderDelivered.class, "DeliverOrder", result);
        }

        @Test
        @DisplayName("cancel appends OrderCancelled, refunding what was paid")
        void cancel() {
            handler.pay(new PayOrder(orderId, money("30.00"), "card"), CONTEXT);

            OrderCommandResult result = handler.cancel(
                    new CancelOrder(orderId, "changed my mind", "customer-7", Optional.empty()), CONTEXT);

            assertThat(result.order().status()).isEqualTo(OrderStatus.CANCELLED);
            OrderCancelled cancelled = (OrderCancelled) registry.fromRecorded(streamOf(orderId).getLast());
            assertThat(cancelled.refundAmount()).isEqualTo(money("30.00"));
            assertStoredLast(OrderCancelled.class, "CancelOrder", result);
        }

        @Test
        @DisplayName("a rejected command appends nothing and is not retried")
        void rejectionAppendsNothing() {
            assertThatThrownBy(() -> handler.pay(new PayOrder(orderId, money("29.99"), "card"), CONTEXT))
                    .isInstanceOf(PaymentMismatch.class);
            assertThatThrownBy(() -> handler.ship(new ShipOrder(orderId, "T", "DHL", Optional.empty()), CONTEXT))
                    .isInstanceOf(InvalidTransition.class);

            assertThat(streamOf(orderId)).hasSize(1);
            assertThat(sleeps).isEmpty();
        }

        private void assertStoredLast(Class<?> eventClass, String command, OrderCommandResult result) {
            RecordedEvent last = streamOf(orderId).getLast();
            assertThat(registry.fromRecorded(last)).isInstanceOf(eventClass);
            assertThat(last.version()).isEqualTo(result.version());
            assertThat(result.position()).isEqualTo(last.position());
            assertThat(json(last.metadata()).get("command").asText()).isEqualTo(command);
            assertThat(json(last.metadata()).get("correlationId").asText()).isEqualTo("corr-1");
            assertThat(result.order()).isEqualTo(Order.rehydrate(streamOf(orderId).stream().map(registry::fromRecorded).toList()));
        }
    }

    @Test
    @DisplayName("a command for an order never placed is OrderNotFound and appends nothing")
    void missingOrder() {
        OrderId unknown = new OrderId(UUID.fromString("6f1c2b9e-3d4a-4e5f-9a8b-7c6d5e4f3a2b"));

        assertThatThrownBy(() -> handler.addItem(new AddItem(unknown, POSTER), CONTEXT))
                .isInstanceOfSatisfying(OrderNotFound.class, notFound -> {
                    assertThat(notFound.orderId()).isEqualTo(unknown);
                    assertThat(notFound.command()).isEqualTo("AddItem");
                });
        assertThat(everything()).isEmpty();
    }

    @Test
    @DisplayName("a conditional command for an order never placed fails its precondition (If-Match needs an order) and appends nothing")
    void missingOrderUnderCondition() {
        OrderId unknown = new OrderId(UUID.fromString("6f1c2b9e-3d4a-4e5f-9a8b-7c6d5e4f3a2b"));

        assertThatThrownBy(() -> handler.pay(new PayOrder(unknown, money("1"), "card"), CONTEXT.expectingVersion(3)))
                .isInstanceOfSatisfying(StaleOrderVersion.class, stale -> assertThat(stale.actualVersion()).isZero());
        assertThatThrownBy(() -> handler.pay(new PayOrder(unknown, money("1"), "card"), CONTEXT.on(VersionCondition.EXISTS)))
                .isInstanceOf(StaleOrderVersion.class);
        assertThat(everything()).isEmpty();
    }

    @Test
    @DisplayName("the context refuses a blank correlation id and a negative expected version")
    void contextValidation() {
        assertThatThrownBy(() -> CommandContext.of(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CONTEXT.expectingVersion(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new CommandContext("c", null, null, null).expectedVersion()).isEqualTo(OptionalLong.empty());
    }

    @Test
    @DisplayName("the default order numbers are ORD- and ten base-32 characters of the id")
    void defaultOrderNumbers() {
        var numbers = OrderNumbers.fromOrderId();

        assertThat(numbers.apply(new OrderId(new UUID(0, 1)))).isEqualTo("ORD-0000000001");
        assertThat(numbers.apply(new OrderId(UUID.fromString("6f1c2b9e-3d4a-4e5f-9a8b-7c6d5e4f3a2b"))))
                .matches("ORD-[0-9A-HJKMNP-TV-Z]{10}");
        assertThat(numbers.apply(new OrderId(new UUID(0, 32)))).isEqualTo("ORD-0000000010");
    }

    @Test
    @DisplayName("an id supplier that repeats ids fails loudly instead of losing the command")
    void repeatedIdsFailLoudly() {
        UUID same = new UUID(0, 7);
        var stuck = new OrderCommandHandler(store, registry, ShippingPolicy.standard(), clock,
                () -> same, OrderNumbers.fromOrderId(), RetryPolicy.DEFAULT, sleeps::add);
        OrderId orderId = stuck.place(newOrder(MUGS), CONTEXT).order().id();

        assertThatThrownBy(() -> stuck.addItem(new AddItem(orderId, POSTER), CONTEXT))
                .isInstanceOf(DuplicateEventId.class)
                .hasMessageContaining("already stored");
        assertThat(streamOf(orderId)).hasSize(1);
    }
}
