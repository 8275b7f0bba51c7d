package org.pgeventstore.application.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pgeventstore.application.order.OrderCommandFixtures.CONTEXT;
import static org.pgeventstore.application.order.OrderCommandFixtures.START;
import static org.pgeventstore.application.order.OrderCommandFixtures.newOrder;
import static org.pgeventstore.domain.order.OrderFixtures.MUGS;
import static org.pgeventstore.domain.order.OrderFixtures.POSTER;
import static org.pgeventstore.domain.order.OrderFixtures.money;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.pgeventstore.application.aggregate.RetryPolicy;
import org.pgeventstore.application.eventstore.ExpectedVersion;
import org.pgeventstore.application.eventstore.InMemoryEventStore;
import org.pgeventstore.application.eventstore.NewEvent;
import org.pgeventstore.application.eventstore.RecordedEvent;
import org.pgeventstore.application.eventstore.StreamId;
import org.pgeventstore.application.eventstore.StreamSlice;
import org.pgeventstore.domain.order.AddItem;
import org.pgeventstore.domain.order.OrderId;
import org.pgeventstore.domain.order.OrderStatus;
import org.pgeventstore.domain.order.PayOrder;

class OrderQueriesTest {

    private static final OrderId UNKNOWN = new OrderId(UUID.fromString("6f1c2b9e-3d4a-4e5f-9a8b-7c6d5e4f3a2b"));

    private final MutableClock clock = new MutableClock(START);
    private final InMemoryEventStore store = new InMemoryEventStore(clock);
    private final OrderCommandHandler handler = OrderCommandFixtures.handler(store, clock, RetryPolicy.NO_RETRY, delay -> { });
    private final OrderQueries queries = new OrderQueries(store, new OrderEventRegistry());

    private OrderId orderId;
    private Instant placedAt;
    private Instant itemAddedAt;
    private Instant paidAt;
    private long lastPosition;

    /** Placed at START, an item added an hour later, paid an hour after that. */
    @BeforeEach
    void placeAddAndPay() {
        placedAt = clock.instant();
        orderId = handler.place(newOrder(MUGS), CONTEXT).order().id();
        itemAddedAt = clock.advance(Duration.ofHours(1));
        handler.addItem(new AddItem(orderId, POSTER), CONTEXT);
        paidAt = clock.advance(Duration.ofHours(1));
        lastPosition = handler.pay(new PayOrder(orderId, money("49.99"), "card"), CONTEXT).position();
        clock.advance(Duration.ofHours(1));
    }

    @Test
    @DisplayName("current: every event folded, with the position of the last")
    void current() {
        OrderState state = queries.current(orderId);

        assertThat(state.order().status()).isEqualTo(OrderStatus.PAID);
        assertThat(state.order().version()).isEqualTo(3);
        assertThat(state.order().lineItems()).containsExactly(MUGS, POSTER);
        assertThat(state.position()).isEqualTo(lastPosition);
    }

    @Nested
    @DisplayName("at a version")
    class AtVersion {

        @Test
        @DisplayName("folds only the events up to that version")
        void foldsPrefix() {
            OrderState first = queries.atVersion(orderId, 1);
            OrderState second = queries.atVersion(orderId, 2);

            assertThat(first.order().version()).isEqualTo(1);
            assertThat(first.order().status()).isEqualTo(OrderStatus.PLACED);
            assertThat(first.order().lineItems()).containsExactly(MUGS);
            assertThat(second.order().lineItems()).containsExactly(MUGS, POSTER);
            assertThat(second.order().status()).isEqualTo(OrderStatus.PLACED);
            assertThat(second.position()).isLessThan(lastPosition);
            assertThat(queries.atVersion(orderId, 3)).isEqualTo(queries.current(orderId));
        }

        @Test
        @DisplayName("a version beyond the current one, or below 1, is out of range")
        void outOfRange() {
            for (long version : new long[] {4, 0, -1, Long.MAX_VALUE}) {
                assertThatThrownBy(() -> queries.atVersion(orderId, version))
                        .isInstanceOfSatisfying(VersionOutOfRange.class, out -> {
                            assertThat(out.orderId()).isEqualTo(orderId);
                            assertThat(out.requestedVersion()).isEqualTo(version);
                            assertThat(out.currentVersion()).isEqualTo(3);
                        });
            }
        }

        @Test
        @DisplayName("an unknown order is unknown at any version")
        void unknownOrder() {
            assertThatThrownBy(() -> queries.atVersion(UNKNOWN, 1)).isInstanceOf(UnknownOrder.class);
            assertThatThrownBy(() -> queries.atVersion(UNKNOWN, 0)).isInstanceOf(UnknownOrder.class);
        }
    }

    @Nested
    @DisplayName("as of an instant")
    class AsOf {

        @Test
        @DisplayName("folds the events stored at or before the instant")
        void foldsUpToInstant() {
            assertThat(queries.asOf(orderId, placedAt).order().version()).isEqualTo(1);
            assertThat(queries.asOf(orderId, itemAddedAt.minusNanos(1)).order().version()).isEqualTo(1);
            assertThat(queries.asOf(orderId, itemAddedAt).order().lineItems()).containsExactly(MUGS, POSTER);
            assertThat(queries.asOf(orderId, paidAt.minusSeconds(1)).order().status()).isEqualTo(OrderStatus.PLACED);
            assertThat(queries.asOf(orderId, paidAt).order().status()).isEqualTo(OrderStatus.PAID);
            assertThat(queries.asOf(orderId, Instant.parse("2100-01-01T00:00:00Z"))).isEqualTo(queries.current(orderId));
        }

        @Test
        @DisplayName("before the order was placed it is unknown, naming the instant")
        void beforePlacement() {
            Instant before = placedAt.minusMillis(1);

            assertThatThrownBy(() -> queries.asOf(orderId, before))
                    .isInstanceOfSatisfying(UnknownOrder.class, unknown -> {
                        assertThat(unknown.orderId()).isEqualTo(orderId);
                        assertThat(unknown.asOf()).contains(before);
                    })
                    .hasMessageContaining("as of " + before);
        }

        @Test
        @DisplayName("stops at the first later event, even if an event after it carries an earlier time")
        void takesAPrefix() {
            var registry = new OrderEventRegistry();
            var skewed = new ForwardingEventStore(store) {
                @Override
                public StreamSlice read(StreamId stream, long fromVersion, int limit) {
                    var slice = super.read(stream, fromVersion, limit);
                    // The payment (version 3) claims to have happened at placement time.
                    List<RecordedEvent> events = slice.events().stream()
                            .map(e -> e.version() == 3 ? withTime(e, placedAt) : e)
                            .toList();
                    return new StreamSlice(slice.streamId(), slice.version(), events);
                }
            };

            OrderState state = new OrderQueries(skewed, registry).asOf(orderId, placedAt);

            assertThat(state.order().version()).isEqualTo(1);
        }

        private RecordedEvent withTime(RecordedEvent event, Instant occurredAt) {
            return new RecordedEvent(event.eventId(), event.streamId(), event.type(), event.version(), event.position(),
                    event.data(), event.metadata(), occurredAt);
        }
    }

    @Test
    @DisplayName("history: the stored events, oldest first, in the shape of a stream read")
    void history() {
        OrderHistory history = queries.history(orderId);

        assertThat(history.streamId()).isEqualTo("order-" + orderId);
        assertThat(history.version()).isEqualTo(3);
        assertThat(history.events()).extracting(RecordedEvent::type)
                .containsExactly("OrderPlaced", "OrderItemAdded", "OrderPaid");
        assertThat(history.events()).extracting(RecordedEvent::version).containsExactly(1L, 2L, 3L);
        assertThat(history.events().getLast().position()).isEqualTo(lastPosition);
    }

    @Test
    @DisplayName("an unknown order is unknown to every read")
    void unknownOrder() {
        assertThatThrownBy(() -> queries.current(UNKNOWN))
                .isInstanceOfSatisfying(UnknownOrder.class, unknown -> {
                    assertThat(unknown.orderId()).isEqualTo(UNKNOWN);
                    assertThat(unknown.asOf()).isEmpty();
                })
                .hasMessage("order " + UNKNOWN + " has not been placed");
        assertThatThrownBy(() -> queries.asOf(UNKNOWN, START)).isInstanceOf(UnknownOrder.class);
        assertThatThrownBy(() -> queries.history(UNKNOWN)).isInstanceOf(UnknownOrder.class);
    }

    @Nested
    @DisplayName("a stream that cannot be read back")
    class Unreadable {

        @Test
        @DisplayName("a foreign event type in an order stream is reported, not skipped")
        void foreignType() {
            store.append(OrderStreams.streamOf(orderId), ExpectedVersion.ANY, List.of(NewEvent.of("OrderTeleported", "{}")));

            assertThatThrownBy(() -> queries.current(orderId))
                    .isInstanceOfSatisfying(UnknownEventType.class, unknown -> {
                        assertThat(unknown.streamId()).isEqualTo("order-" + orderId);
                        assertThat(unknown.version()).isEqualTo(4);
                        assertThat(unknown.type()).isEqualTo("OrderTeleported");
                    });
            assertThat(queries.atVersion(orderId, 3).order().status()).isEqualTo(OrderStatus.PAID);
            assertThatThrownBy(() -> queries.history(orderId)).as("the history shows events in their current shape")
                    .isInstanceOf(UnknownEventType.class);
            assertThatThrownBy(() -> handler.addItem(new AddItem(orderId, POSTER), CONTEXT))
                    .isInstanceOf(UnknownEventType.class);
        }

        @Test
        @DisplayName("an event that cannot follow the history before it is corrupt")
        void impossibleHistory() {
            String placedData = store.read(OrderStreams.streamOf(orderId), 1, 1).events().getFirst().data();
            store.append(OrderStreams.streamOf(orderId), ExpectedVersion.ANY, List.of(NewEvent.of("OrderPlaced", placedData)));

            assertThatThrownBy(() -> queries.current(orderId))
                    .isInstanceOfSatisfying(CorruptEvent.class, corrupt -> {
                        assertThat(corrupt.version()).isEqualTo(4);
                        assertThat(corrupt.reason()).contains("already placed");
                    });
        }

        @Test
        @DisplayName("an OrderPlaced for another order in this order's stream is corrupt")
        void placedForAnotherOrder() {
            String placedData = store.read(OrderStreams.streamOf(orderId), 1, 1).events().getFirst().data();
            store.append(OrderStreams.streamOf(UNKNOWN), ExpectedVersion.NO_STREAM, List.of(NewEvent.of("OrderPlaced", placedData)));

            assertThatThrownBy(() -> queries.current(UNKNOWN))
                    .isInstanceOfSatisfying(CorruptEvent.class, corrupt -> assertThat(corrupt.reason())
                            .isEqualTo("it places order " + orderId + " in the stream of order " + UNKNOWN));
        }
    }

    @Test
    @DisplayName("the state returned by a read matches the state returned by the command")
    void readsMatchCommands() {
        OrderCommandResult added = handler.addItem(new AddItem(handler.place(newOrder(POSTER), CONTEXT).order().id(), MUGS), CONTEXT);

        assertThat(queries.current(added.order().id()).order()).isEqualTo(added.order());
        assertThat(queries.current(added.order().id()).position()).isEqualTo(added.position());
        assertThat(Optional.of(queries.atVersion(added.order().id(), 2).order())).contains(added.order());
    }
}
