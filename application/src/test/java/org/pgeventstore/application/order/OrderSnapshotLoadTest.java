package org.pgeventstore.application.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pgeventstore.application.order.OrderCommandFixtures.CONTEXT;
import static org.pgeventstore.application.order.OrderCommandFixtures.START;
import static org.pgeventstore.application.order.OrderCommandFixtures.STICKER;
import static org.pgeventstore.application.order.OrderCommandFixtures.newOrder;
import static org.pgeventstore.domain.order.OrderFixtures.MUGS;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.pgeventstore.application.aggregate.RetryPolicy;
import org.pgeventstore.application.eventstore.EventStore;
import org.pgeventstore.application.eventstore.EventStoreUnavailable;
import org.pgeventstore.application.eventstore.InMemoryEventStore;
import org.pgeventstore.application.eventstore.RecordedEvent;
import org.pgeventstore.application.eventstore.StreamId;
import org.pgeventstore.application.eventstore.StreamSlice;
import org.pgeventstore.application.snapshot.BlockingSnapshotStore;
import org.pgeventstore.application.snapshot.ForwardingSnapshotStore;
import org.pgeventstore.application.snapshot.InMemorySnapshotStore;
import org.pgeventstore.application.snapshot.RecentStates;
import org.pgeventstore.application.snapshot.Snapshot;
import org.pgeventstore.application.snapshot.SnapshotMetrics;
import org.pgeventstore.application.snapshot.SnapshotPolicy;
import org.pgeventstore.application.snapshot.SnapshotStore;
import org.pgeventstore.application.snapshot.SnapshotWriter;
import org.pgeventstore.application.snapshot.Snapshotting;
import org.pgeventstore.domain.order.AddItem;
import org.pgeventstore.domain.order.Order;
import org.pgeventstore.domain.order.OrderId;
import org.pgeventstore.domain.order.OrderStatus;
import org.pgeventstore.domain.order.PayOrder;
import org.pgeventstore.domain.order.ShippingPolicy;

class OrderSnapshotLoadTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int SCHEMA = OrderSnapshotCodec.SCHEMA_VERSION;

    private final MutableClock clock = new MutableClock(START);
    private final InMemoryEventStore events = new InMemoryEventStore(clock);
    private final InMemorySnapshotStore snapshots = new InMemorySnapshotStore();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<SnapshotWriter> writers = new ArrayList<>();
    private final OrderQueries replaying = new OrderQueries(events, new OrderEventRegistry());
    private final Supplier<UUID> ids = OrderCommandFixtures.sequentialIds();

    @AfterEach
    void closeWriters() {
        writers.forEach(SnapshotWriter::close);
    }

    private SnapshotWriter writer(SnapshotStore store, SnapshotPolicy policy) {
        SnapshotWriter writer = new SnapshotWriter(events, store, policy, new SnapshotMetrics(registry), clock, 100, 3);
        writers.add(writer);
        return writer;
    }

    private OrderCommandHandler handler(Snapshotting snapshotting) {
        return new OrderCommandHandler(events, new OrderEventRegistry(), ShippingPolicy.standard(), clock,
                ids, id -> "ORD-" + id.value().getLeastSignificantBits(), RetryPolicy.NO_RETRY,
                delay -> { }, snapshotting);
    }

    /** Places an order and adds {@code items} stickers, a minute apart, letting the writer finish after each command. */
    private OrderId longOrder(OrderCommandHandler handler, SnapshotWriter writer, int items) {
        OrderId id = handler.place(newOrder(MUGS), CONTEXT).order().id();
        for (int i = 0; i < items; i++) {
            clock.advance(Duration.ofMinutes(1));
            handler.addItem(new AddItem(id, STICKER), CONTEXT);
            if (writer != null) {
                assertThat(writer.awaitIdle(WAIT)).isTrue();
            }
        }
        return id;
    }

    private List<Long> snapshotVersions(OrderId id) {
        StreamId stream = OrderStreams.streamOf(id);
        return snapshots.all().stream().filter(s -> s.stream().equals(stream)).map(Snapshot::version).toList();
    }

    private double counter(String name, String... tags) {
        Counter counter = registry.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    /** Events folded by loads that found {@code lookup}, in total so far. */
    private double replayed(String lookup) {
        DistributionSummary summary = registry.find("eventstore.aggregate.load.replayed").tag("snapshot", lookup).summary();
        return summary == null ? 0 : summary.totalAmount();
    }

    @Test
    @DisplayName("with recent states kept, loads of the current state start from the last one rebuilt, not the store")
    void recentStates() {
        SnapshotWriter writer = writer(snapshots, SnapshotPolicy.everyEvents(10));
        RecentStates recent = new RecentStates(10);
        Snapshotting on = Snapshotting.on(writer, recent);
        OrderCommandHandler commands = handler(on);
        OrderId id = longOrder(commands, writer, 25);
        var queries = new OrderQueries(events, new OrderEventRegistry(), on);
        assertThat(recent.latest(OrderStreams.streamOf(id))).as("commands keep the state they reached")
                .hasValueSatisfying(entry -> assertThat(entry.version()).isEqualTo(26));
        assertThat(snapshotVersions(id)).as("the policy still counts from the latest snapshot").containsExactly(10L, 20L);

        double replayedBefore = replayed("hit");
        assertThat(queries.current(id)).isEqualTo(replaying.current(id));
        assertThat(replayed("hit") - replayedBefore).as("nothing to fold after the state kept at 26").isZero();

        // Another writer appends behind this instance's back: the kept state is only a start.
        new OrderCommandHandler(events, new OrderEventRegistry(), ShippingPolicy.standard(), clock)
                .addItem(new AddItem(id, STICKER), CONTEXT);
        assertThat(queries.current(id)).isEqualTo(replaying.current(id));
        assertThat(replayed("hit") - replayedBefore).as("then only the new event is folded").isEqualTo(1);
        assertThat(queries.atVersion(id, 5)).as("reads of the past do not use it").isEqualTo(replaying.atVersion(id, 5));
    }

    @Test
    @DisplayName("a kept state ahead of its stream is forgotten and the load replays")
    void recentStateAheadOfStream() {
        SnapshotWriter writer = writer(snapshots, SnapshotPolicy.never());
        RecentStates recent = new RecentStates(10);
        Snapshotting on = Snapshotting.on(writer, recent);
        OrderId id = longOrder(handler(on), writer, 2);
        Order current = replaying.current(id).order();
        Order ahead = new Order(current.id(), current.orderNumber(), current.customerId(), current.status(),
                current.lineItems(), current.subtotal(), current.shippingCost(), current.total(), current.currency(),
                current.shippingAddress(), current.placedAt(), current.paidAt(), current.shippedAt(),
                current.deliveredAt(), current.cancelledAt(), current.amountPaid(), 40);
        recent.forget(OrderStreams.streamOf(id));
        recent.remember(OrderStreams.streamOf(id), new RecentStates.Entry<>(ahead, 40, 1, null, 0));

        assertThat(new OrderQueries(events, new OrderEventRegistry(), on).current(id)).isEqualTo(replaying.current(id));
        assertThat(recent.latest(OrderStreams.streamOf(id))).hasValueSatisfying(
                entry -> assertThat(entry.version()).as("replaced by the state rebuilt from the events").isEqualTo(3));
    }

    @Test
    @DisplayName("commands take snapshots every N events, and a load then folds only the events after the latest")
    void commandsTakeSnapshots() {
        SnapshotWriter writer = writer(snapshots, SnapshotPolicy.everyEvents(10));
        Snapshotting on = Snapshotting.on(writer);
        OrderId id = longOrder(handler(on), writer, 25);

        assertThat(snapshotVersions(id)).containsExactly(10L, 20L);
        var queries = new OrderQueries(events, new OrderEventRegistry(), on);
        double hitsBefore = counter("eventstore.snapshot.lookups", "outcome", "hit");
        double replayedBefore = replayed("hit");

        OrderState state = queries.current(id);

        assertThat(state).isEqualTo(replaying.current(id));
        assertThat(state.order().version()).isEqualTo(26);
        assertThat(replayed("hit") - replayedBefore).as("events folded on top of the snapshot at 20").isEqualTo(6);
        assertThat(counter("eventstore.snapshot.lookups", "outcome", "hit") - hitsBefore).isEqualTo(1);
        assertThat(counter("eventstore.snapshot.written", "category", "order")).isEqualTo(2);
        assertThat(registry.find("eventstore.aggregate.load").tag("snapshot", "hit").timer()).isNotNull();
    }

    @Test
    @DisplayName("keeps only the latest few snapshots of a stream")
    void prunes() {
        SnapshotWriter writer = writer(snapshots, SnapshotPolicy.everyEvents(5));
        OrderId id = longOrder(handler(Snapshotting.on(writer)), writer, 30);

        assertThat(snapshotVersions(id)).containsExactly(20L, 25L, 30L);
    }

    @Nested
    @DisplayName("a load from a snapshot equals a full replay")
    class EqualsReplay {

        private final SnapshotWriter writer = writer(snapshots, SnapshotPolicy.everyEvents(4));
        private final Snapshotting on = Snapshotting.on(writer);
        private final OrderQueries queries = new OrderQueries(events, new OrderEventRegistry(), on);
        private final OrderId id = longOrder(handler(on), writer, 17);

        @Test
        @DisplayName("now, and at every version")
        void atEveryVersion() {
            assertThat(snapshotVersions(id)).containsExactly(8L, 12L, 16L);
            assertThat(queries.current(id)).isEqualTo(replaying.current(id));
            for (long version = 1; version <= 18; version++) {
                assertThat(queries.atVersion(id, version)).as("version %d", version).isEqualTo(replaying.atVersion(id, version));
            }
            assertThat(replayed("hit")).as("loads at 8 and above started from a snapshot").isPositive();
        }

        @Test
        @DisplayName("as of every instant an event happened, and just before each")
        void asOfEveryInstant() {
            for (RecordedEvent event : events.read(OrderStreams.streamOf(id), 1, 100).events()) {
                Instant at = event.occurredAt();
                assertThat(queries.asOf(id, at)).as("as of %s", at).isEqualTo(replaying.asOf(id, at));
                if (event.version() > 1) {
                    Instant before = at.minusNanos(1);
                    assertThat(queries.asOf(id, before)).as("as of %s", before).isEqualTo(replaying.asOf(id, before));
                }
            }
            assertThat(queries.asOf(id, clock.instant().plusSeconds(60))).isEqualTo(replaying.current(id));
        }

        @Test
        @DisplayName("the state a command decides on is the one a full replay gives")
        void commandsDecideOnTheSameState() {
            var handler = handler(on);
            Order current = replaying.current(id).order();

            var paid = handler.pay(new PayOrder(id, current.total(), "card"), CONTEXT);

            assertThat(paid.version()).isEqualTo(19);
            assertThat(paid.order()).isEqualTo(replaying.current(id).order());
        }
    }

    @Test
    @DisplayName("a query of a long stream without a snapshot offers one, and the next load starts from it")
    void queriesOfferSnapshots() {
        OrderId id = longOrder(handler(Snapshotting.off()), null, 29);
        SnapshotWriter writer = writer(snapshots, SnapshotPolicy.everyEvents(10));
        var queries = new OrderQueries(events, new OrderEventRegistry(), Snapshotting.on(writer));

        queries.current(id);
        assertThat(writer.awaitIdle(WAIT)).isTrue();
        double replayedBefore = replayed("hit");
        OrderState again = queries.current(id);

        assertThat(snapshotVersions(id)).containsExactly(30L);
        assertThat(replayed("hit") - replayedBefore).isZero();
        assertThat(again).isEqualTo(replaying.current(id));
        assertThat(counter("eventstore.snapshot.lookups", "outcome", "miss")).isEqualTo(1);
    }

    @Nested
    @DisplayName("a snapshot that cannot be trusted is ignored, never mis-read")
    class Untrusted {

        // Takes no snapshots of its own, so each load meets the snapshot a test planted.
        private final OrderQueries queries = new OrderQueries(events, new OrderEventRegistry(),
                Snapshotting.on(writer(snapshots, SnapshotPolicy.never())));
        private final OrderId id = longOrder(handler(Snapshotting.off()), null, 14);
        private final StreamId stream = OrderStreams.streamOf(id);

        /** A snapshot at {@code version} claiming the order is at the current state: wrong unless version is current. */
        private Snapshot snapshot(long version, int schemaVersion, byte[] state) {
            return new Snapshot(stream, version, 1, START, START, schemaVersion, state);
        }

        private byte[] stateAt(long version) {
            return new OrderSnapshotCodec().encode(replaying.atVersion(id, version).order());
        }

        @Test
        @DisplayName("a snapshot of an older schema version is ignored, and replaced by one of the current shape")
        void staleSchema() {
            // Same version, a state that would even decode, but from a shape this code no longer writes.
            Order current = replaying.atVersion(id, 15).order();
            snapshots.save(snapshot(15, SCHEMA - 1, new OrderSnapshotCodec().encode(new Order(current.id(),
                    current.orderNumber(), current.customerId(), OrderStatus.PAID, current.lineItems(), current.subtotal(),
                    current.shippingCost(), current.total(), current.currency(), current.shippingAddress(),
                    current.placedAt(), current.paidAt(), current.shippedAt(), current.deliveredAt(),
                    current.cancelledAt(), current.amountPaid(), current.version()))));
            SnapshotWriter writer = writer(snapshots, SnapshotPolicy.everyEvents(10));

            OrderState state = new OrderQueries(events, new OrderEventRegistry(), Snapshotting.on(writer)).current(id);
            assertThat(writer.awaitIdle(WAIT)).isTrue();

            assertThat(state).isEqualTo(replaying.current(id));
            assertThat(replayed("miss")).isEqualTo(15);
            Snapshot replaced = snapshots.latest(stream, SCHEMA, Long.MAX_VALUE).orElseThrow();
            assertThat(replaced.version()).isEqualTo(15);
            assertThat(new OrderSnapshotCodec().decode(replaced)).isEqualTo(state.order());
            assertThat(snapshots.all()).filteredOn(s -> s.stream().equals(stream)).hasSize(1);
        }

        @Test
        @DisplayName("a store that hands out a snapshot of another schema version anyway: the codec refuses it")
        void otherSchemaHandedOut() {
            SnapshotStore careless = new ForwardingSnapshotStore(snapshots) {
                @Override
                public Optional<Snapshot> latest(StreamId stream, int schemaVersion, long atMostVersion) {
                    return Optional.of(snapshot(12, SCHEMA + 1, stateAt(12)));
                }
            };
            var carelessQueries = new OrderQueries(events, new OrderEventRegistry(),
                    Snapshotting.on(writer(careless, SnapshotPolicy.never())));

            assertThat(carelessQueries.current(id)).isEqualTo(replaying.current(id));
            assertThat(counter("eventstore.snapshot.failures", "operation", "decode")).isEqualTo(1);
        }

        @Test
        @DisplayName("a snapshot whose state is corrupt, or is another order's, is ignored")
        void corrupt() {
            snapshots.save(snapshot(12, SCHEMA, "{\"id\": \"not a uuid\"}".getBytes(StandardCharsets.UTF_8)));
            assertThat(queries.current(id)).isEqualTo(replaying.current(id));

            OrderId other = longOrder(handler(Snapshotting.off()), null, 14);
            snapshots.save(snapshot(13, SCHEMA, new OrderSnapshotCodec().encode(replaying.atVersion(other, 13).order())));
            assertThat(queries.current(id)).isEqualTo(replaying.current(id));

            assertThat(counter("eventstore.snapshot.failures", "operation", "decode")).isEqualTo(2);
        }

        @Test
        @DisplayName("a snapshot ahead of its stream is ignored")
        void aheadOfStream() {
            Order current = replaying.current(id).order();
            byte[] ahead = new OrderSnapshotCodec().encode(new Order(current.id(), current.orderNumber(),
                    current.customerId(), current.status(), current.lineItems(), current.subtotal(), current.shippingCost(),
                    current.total(), current.currency(), current.shippingAddress(), current.placedAt(), current.paidAt(),
                    current.shippedAt(),
                    current.deliveredAt(), current.cancelledAt(), current.amountPaid(), 40));
            snapshots.save(snapshot(40, SCHEMA, ahead));

            assertThat(queries.current(id)).isEqualTo(replaying.current(id));
            assertThat(queries.atVersion(id, 15)).isEqualTo(replaying.atVersion(id, 15));
            assertThatThrownBy(() -> queries.atVersion(id, 40)).isInstanceOfSatisfying(VersionOutOfRange.class,
                    out -> assertThat(out.currentVersion()).isEqualTo(15));
            assertThat(counter("eventstore.snapshot.failures", "operation", "verify")).isEqualTo(2);
        }
    }

    @Nested
    @DisplayName("the snapshot store never fails or delays a command")
    class Isolation {

        @Test
        @DisplayName("a store that throws on every call: commands and queries succeed on full replays")
        void throwingStore() {
            SnapshotStore broken = new SnapshotStore() {
                @Override
                public boolean save(Snapshot snapshot) {
                    throw new IllegalStateException("snapshot store down");
                }

                @Override
                public Optional<Snapshot> latest(StreamId stream, int schemaVersion, long atMostVersion) {
                    throw new IllegalStateException("snapshot store down");
                }

                @Override
                public Optional<Snapshot> latestAsOf(StreamId stream, int schemaVersion, Instant instant) {
                    throw new IllegalStateException("snapshot store down");
                }

                @Override
                public int prune(StreamId stream, int keep) {
                    throw new IllegalStateException("snapshot store down");
                }
            };
            SnapshotWriter writer = writer(broken, SnapshotPolicy.everyEvents(1));
            Snapshotting on = Snapshotting.on(writer);

            OrderId id = longOrder(handler(on), writer, 5);
            OrderState state = new OrderQueries(events, new OrderEventRegistry(), on).current(id);
            assertThat(writer.awaitIdle(WAIT)).isTrue();

            assertThat(state).isEqualTo(replaying.current(id));
            assertThat(state.order().version()).isEqualTo(6);
            assertThat(counter("eventstore.snapshot.failures", "operation", "write")).isPositive();
            assertThat(counter("eventstore.snapshot.failures", "operation", "read")).as("5 commands and 1 query loaded")
                    .isEqualTo(6);
        }

        @Test
        @DisplayName("a store whose database is unavailable: the load fails at once, without a replay that would wait again")
        void unavailableDatabase() {
            SnapshotWriter writer = writer(snapshots, SnapshotPolicy.everyEvents(1));
            OrderId id = longOrder(handler(Snapshotting.on(writer)), writer, 5);
            List<StreamId> replayed = new ArrayList<>();
            EventStore watched = new ForwardingEventStore(events) {
                @Override
                public StreamSlice read(StreamId stream, long fromVersion, int limit) {
                    replayed.add(stream);
                    return super.read(stream, fromVersion, limit);
                }
            };
            SnapshotStore unreachable = new ForwardingSnapshotStore(snapshots) {
                @Override
                public Optional<Snapshot> latest(StreamId stream, int schemaVersion, long atMostVersion) {
                    throw new EventStoreUnavailable("PostgreSQL did not answer in time", null);
                }
            };
            SnapshotWriter unreachableWriter = writer(unreachable, SnapshotPolicy.everyEvents(1));
            var queries = new OrderQueries(watched, new OrderEventRegistry(), Snapshotting.on(unreachableWriter));

            assertThatThrownBy(() -> queries.current(id)).isInstanceOf(EventStoreUnavailable.class);
            assertThat(replayed).as("no second wait on the same database").isEmpty();
            assertThat(counter("eventstore.snapshot.failures", "operation", "read")).isEqualTo(1);
        }

        @Test
        @DisplayName("a store whose writes block: commands on many orders complete at once, every one of them")
        // A command that waited for the stuck store would wait for ever: the timeout makes that a
        // failure (a hang detector, not a speed threshold).
        @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
        void blockingStore() {
            BlockingSnapshotStore stuck = new BlockingSnapshotStore(snapshots);
            SnapshotWriter writer = writer(stuck, SnapshotPolicy.everyEvents(1));
            var handler = handler(Snapshotting.on(writer));

            List<OrderId> orders = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                OrderId id = handler.place(newOrder(MUGS), CONTEXT).order().id();
                handler.addItem(new AddItem(id, STICKER), CONTEXT);
                orders.add(id);
            }

            assertThat(stuck.saves()).isEqualTo(1);
            assertThat(counter("eventstore.snapshot.failures", "operation", "dropped")).isPositive();
            for (OrderId id : orders) {
                assertThat(replaying.current(id).order().lineItems()).hasSize(2);
            }
            stuck.release();
            assertThat(writer.awaitIdle(WAIT)).isTrue();
        }
    }
}
