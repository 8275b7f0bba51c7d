package org.pgeventstore.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.pgeventstore.adapters.postgres.order.PostgresOrderProjectionStore;
import org.pgeventstore.adapters.postgres.projection.PostgresProjectionRebuild;
import org.pgeventstore.application.eventstore.EventFilter;
import org.pgeventstore.application.eventstore.EventStore;
import org.pgeventstore.application.eventstore.ExpectedVersion;
import org.pgeventstore.application.eventstore.NewEvent;
import org.pgeventstore.application.eventstore.StreamId;
import org.pgeventstore.application.aggregate.CommandContext;
import org.pgeventstore.application.order.NewOrder;
import org.pgeventstore.application.order.OrderCommandHandler;
import org.pgeventstore.application.order.OrderEventRegistry;
import org.pgeventstore.application.order.readmodel.OrderReconciliation;
import org.pgeventstore.application.order.readmodel.OrderRow;
import org.pgeventstore.application.projection.FailurePolicy;
import org.pgeventstore.application.projection.ParkedStream;
import org.pgeventstore.application.projection.ParkedStreams;
import org.pgeventstore.application.projection.ProjectionLeases;
import org.pgeventstore.application.projection.ProjectionRunner;
import org.pgeventstore.application.projection.ProjectionSettings;
import org.pgeventstore.application.feed.AppendSignal;
import org.pgeventstore.application.projection.ProjectionStatus;
import org.pgeventstore.application.projection.ReconciliationReport;
import org.pgeventstore.domain.order.CancelOrder;
import org.pgeventstore.domain.order.CustomerId;
import org.pgeventstore.domain.order.LineItem;
import org.pgeventstore.domain.order.Money;
import org.pgeventstore.domain.order.OrderId;
import org.pgeventstore.domain.order.OrderItemAdded;
import org.pgeventstore.domain.order.OrderPaid;
import org.pgeventstore.domain.order.OrderStatus;
import org.pgeventstore.domain.order.ShippingAddress;
import org.pgeventstore.domain.order.ShippingPolicy;

/**
 * A poison event in one order's stream, on real PostgreSQL, in a database of its own (the poison
 * is in category {@code order}, which every other test projects from position 0).
 */
class StreamParkingTest {

    private static final CommandContext CONTEXT = new CommandContext("corr", null, null, OptionalLong.empty());
    private static final LineItem MUG = new LineItem("p-mug", "MUG", "Mug", 1, Money.of("10.00"));
    /** A type the registry cannot read until an alias for it is deployed: the "fix". */
    private static final String LEGACY_TYPE = "OrderItemAddedLegacy";

    private final ScratchDatabase database = ScratchDatabase.create("parking");
    private final OrderEventRegistry registry = new OrderEventRegistry();
    private final EventStore store = new PostgresEventStore(database.dataSource());
    private final OrderCommandHandler commands = new OrderCommandHandler(store, registry, ShippingPolicy.standard(),
            Clock.systemUTC());

    @AfterEach
    void dropDatabase() {
        database.close();
    }

    private OrderId place() {
        return commands.place(new NewOrder(new CustomerId("parking"), List.of(MUG),
                new ShippingAddress("1 Main St", "Springfield", "US", "12345")), CONTEXT, Optional.empty()).order().id();
    }

    private void append(OrderId order, long expectedVersion, NewEvent event) {
        store.append(StreamId.of("order-" + order), ExpectedVersion.exactly(expectedVersion), List.of(event));
    }

    private NewEvent itemAdded(String type) {
        NewEvent event = registry.toNewEvent(new OrderItemAdded(MUG, Money.of("20.00"), Money.of("5.00"),
                Money.of("25.00")), UUID.randomUUID(), "{}");
        return new NewEvent(event.eventId(), type, event.schemaVersion(), event.data(), event.metadata());
    }

    private NewEvent paid() {
        return registry.toNewEvent(new OrderPaid(Money.of("25.00"), "card", Instant.now()), UUID.randomUUID(), "{}");
    }

    private static void awaitRow(PostgresOrderProjectionStore projection, OrderId order, Instant deadline)
            throws InterruptedException {
        while (projection.find(order).isEmpty()) {
            assertThat(Instant.now()).as("order %s is projected in time (status %s)", order, projection.state())
                    .isBefore(deadline);
            Thread.sleep(10);
        }
    }

    @Test
    @DisplayName("with the default settings, a poison event holds back its own order only: the others are projected at once")
    void poisonParksItsStreamOnly() throws Exception {
        OrderId poisoned = place();
        append(poisoned, 1, itemAdded(LEGACY_TYPE));
        OrderId second = place();
        append(poisoned, 2, itemAdded("OrderItemAdded"));
        OrderId third = place();
        append(poisoned, 3, paid());
        OrderId fourth = place();

        PostgresOrderProjectionStore projection = new PostgresOrderProjectionStore(database.dataSource(), registry);
        ProjectionRunner runner = new ProjectionRunner(projection, new PostgresEventStore(database.dataSource()),
                EventFilter.category("order"), ProjectionSettings.DEFAULT, ProjectionLeases.UNCONTENDED,
                new AppendSignal());
        Instant started = Instant.now();
        runner.start();
        try {
            // The head is retried with the default backoff (0.1 + 0.2 + 0.4 + 0.8 s); nothing after it is.
            Instant deadline = started.plus(Duration.ofMillis(1500 + 2000));
            for (OrderId order : List.of(second, third, fourth)) {
                awaitRow(projection, order, deadline);
            }
        } finally {
            runner.stop();
        }
        assertThat(runner.failures()).as("only the poison event itself was retried and given up on").isEqualTo(1);
        assertThat(runner.parkedEvents()).as("it and the two behind it").isEqualTo(3);
        assertThat(projection.state().status()).isEqualTo(ProjectionStatus.RUNNING);
        assertThat(projection.find(poisoned).orElseThrow().version()).as("its order stays before it").isEqualTo(1);
        assertThat(projection.list(10)).singleElement().satisfies(parked -> {
            assertThat(parked.streamId()).isEqualTo("order-" + poisoned);
            assertThat(parked.head().version()).isEqualTo(2);
            assertThat(parked.head().type()).isEqualTo(LEGACY_TYPE);
            assertThat(parked.head().error()).contains("UnknownEventType", "no reader for event type " + LEGACY_TYPE);
            assertThat(parked.waitingEvents()).isEqualTo(3);
        });
        assertThat(projection.count()).isEqualTo(1);
    }

    private PostgresOrderProjectionStore projection(OrderEventRegistry withRegistry) {
        return new PostgresOrderProjectionStore(database.dataSource(), withRegistry);
    }

    private ProjectionRunner quickRunner(PostgresOrderProjectionStore projection) {
        return new ProjectionRunner(projection, new PostgresEventStore(database.dataSource()),
                EventFilter.category("order"), ProjectionSettings.DEFAULT.withRetries(2, Duration.ofMillis(1),
                Duration.ofMillis(2), FailurePolicy.PARK), ProjectionLeases.UNCONTENDED, new AppendSignal());
    }

    /** An order whose second event no reader knows, followed by two good ones: parked at version 2. */
    private OrderId poisonedOrder() {
        OrderId order = place();
        append(order, 1, itemAdded(LEGACY_TYPE));
        append(order, 2, itemAdded("OrderItemAdded"));
        append(order, 3, paid());
        return order;
    }

    @Test
    @DisplayName("after the fix, resuming the stream applies its parked events once, in order, while the projection runs")
    void resumeAfterTheFix() throws Exception {
        OrderId poisoned = poisonedOrder();
        PostgresOrderProjectionStore projection = projection(registry);
        quickRunner(projection).catchUp();
        String stream = "order-" + poisoned;
        assertThat(projection.find(stream)).hasValueSatisfying(parked -> assertThat(parked.waitingEvents()).isEqualTo(3));

        ParkedStreams.Resumed stillBroken = projection.resume(stream, "ops-1");
        assertThat(stillBroken.applied()).as("not fixed yet: nothing applied").isZero();
        assertThat(stillBroken.stillParked()).hasValueSatisfying(parked -> {
            assertThat(parked.head().version()).isEqualTo(2);
            assertThat(parked.head().error()).contains("UnknownEventType", LEGACY_TYPE);
        });

        // The fix is deployed: a reader for the legacy type. The live runner keeps going meanwhile.
        OrderEventRegistry fixed = registry.withAlias(LEGACY_TYPE, "OrderItemAdded");
        PostgresOrderProjectionStore deployed = projection(fixed);
        AppendSignal signal = new AppendSignal();
        ProjectionRunner live = new ProjectionRunner(deployed, new PostgresEventStore(database.dataSource()),
                EventFilter.category("order"), ProjectionSettings.DEFAULT, ProjectionLeases.UNCONTENDED, signal);
        live.start();
        ExecutorService operators = Executors.newFixedThreadPool(2);
        try {
            List<Future<Object>> outcomes = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                outcomes.add(operators.submit(() -> {
                    try {
                        return deployed.resume(stream, "ops-2");
                    } catch (ParkedStreams.NotParked alreadyResumed) {
                        return alreadyResumed;
                    }
                }));
            }
            for (int i = 0; i < 5; i++) {
                place();
                signal.signal();
            }
            List<Object> results = new ArrayList<>();
            for (Future<Object> outcome : outcomes) {
                results.add(outcome.get(30, TimeUnit.SECONDS));
            }
            assertThat(results).as("one resume applied the three events, the other found nothing parked")
                    .filteredOn(ParkedStreams.Resumed.class::isInstance)
                    .singleElement().satisfies(resumed -> assertThat(((ParkedStreams.Resumed) resumed).applied()).isEqualTo(3));
            assertThat(results).filteredOn(ParkedStreams.NotParked.class::isInstance).hasSize(1);

            commands(fixed).cancel(new CancelOrder(poisoned, "changed mind", "customer", Optional.empty()), CONTEXT);
            signal.signal();
            Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
            while (!store.readAll(deployed.state().position(), 1, EventFilter.category("order")).events().isEmpty()) {
                assertThat(Instant.now()).as("the live runner catches up").isBefore(deadline);
                Thread.sleep(10);
            }
        } finally {
            operators.shutdownNow();
            live.stop();
        }
        assertThat(deployed.count()).isZero();
        assertThat(deployed.find(poisoned).orElseThrow().version()).as("the stream flows again").isEqualTo(5);
        ReconciliationReport report = new OrderReconciliation(store, deployed, deployed, fixed).run();
        assertThat(report.mismatches()).as("every row, the resumed one too, equals its events").isEmpty();
        assertThat(live.alreadyAppliedEvents()).isZero();
    }

    private OrderCommandHandler commands(OrderEventRegistry withRegistry) {
        return new OrderCommandHandler(store, withRegistry, ShippingPolicy.standard(), Clock.systemUTC());
    }

    @Test
    @DisplayName("an operator skips the head for good: recorded who, when and why; the row moves past it; the rest resumes")
    void skipTheHead() throws Exception {
        OrderId poisoned = poisonedOrder();
        PostgresOrderProjectionStore projection = projection(registry);
        quickRunner(projection).catchUp();
        String stream = "order-" + poisoned;
        ParkedStream parked = projection.find(stream).orElseThrow();
        Instant when = Instant.parse("2026-12-01T10:15:30.123456Z");
        ParkedStreams.Skip skip = new ParkedStreams.Skip("ops-7", "written by the 2019 importer; its item is on v3 too", when);

        assertThatThrownBy(() -> projection.skip(stream, parked.head().position() + 1, skip))
                .isInstanceOf(ParkedStreams.HeadMoved.class);
        assertThatThrownBy(() -> projection.skip("order-" + UUID.randomUUID(), parked.head().position(), skip))
                .isInstanceOf(ParkedStreams.NotParked.class);
        ParkedStreams.Skipped skipped = projection.skip(stream, parked.head().position(), skip);

        assertThat(skipped.skipped().type()).isEqualTo(LEGACY_TYPE);
        assertThat(skipped.stillParked()).hasValueSatisfying(rest -> {
            assertThat(rest.head().version()).isEqualTo(3);
            assertThat(rest.waitingEvents()).isEqualTo(2);
        });
        assertThat(projection.find(poisoned).orElseThrow().version()).as("moved past the skipped event").isEqualTo(2);
        try (var connection = database.dataSource().getConnection();
             var statement = connection.prepareStatement("""
                     SELECT outcome, resolved_by, reason, resolved_at FROM projection_parked_events
                      WHERE projection = 'orders' AND position = ?""")) {
            statement.setLong(1, parked.head().position());
            try (var row = statement.executeQuery()) {
                assertThat(row.next()).isTrue();
                assertThat(row.getString(1)).isEqualTo("skipped");
                assertThat(row.getString(2)).isEqualTo("ops-7");
                assertThat(row.getString(3)).isEqualTo(skip.reason());
                assertThat(row.getObject(4, OffsetDateTime.class).toInstant()).isEqualTo(when);
            }
        }

        assertThat(projection.resume(stream, "ops-7").applied()).isEqualTo(2);
        OrderRow row = projection.find(poisoned).orElseThrow();
        assertThat(row.version()).isEqualTo(4);
        assertThat(row.order().lineItems()).as("the placement's item and v3's, not the skipped one's").hasSize(2);
        assertThat(row.order().status()).isEqualTo(OrderStatus.PAID);
        assertThat(projection.count()).isZero();
    }

    @Test
    @DisplayName("a rebuild skips again what an operator skipped, parks again what still fails, and keeps both visible")
    void rebuildHonoursSkipsAndParking() {
        OrderId skippedOrder = poisonedOrder();
        OrderId stillParked = poisonedOrder();
        PostgresOrderProjectionStore projection = projection(registry);
        quickRunner(projection).catchUp();
        String skippedStream = "order-" + skippedOrder;
        long skippedHead = projection.find(skippedStream).orElseThrow().head().position();
        projection.skip(skippedStream, skippedHead, new ParkedStreams.Skip("ops-7", "legacy import", Instant.now()));
        projection.resume(skippedStream, "ops-7");
        ParkedStream parkedBefore = projection.find("order-" + stillParked).orElseThrow();

        new PostgresProjectionRebuild(database.dataSource(), new PostgresEventStore(database.dataSource()),
                ProjectionSettings.DEFAULT.withRetries(2, Duration.ofMillis(1), Duration.ofMillis(2), FailurePolicy.PARK),
                PostgresOrderProjectionStore.projection(database.dataSource(), registry)).run();

        OrderRow rebuilt = projection.find(skippedOrder).orElseThrow();
        assertThat(rebuilt.version()).isEqualTo(4);
        assertThat(rebuilt.order().lineItems()).as("the skipped event skipped again").hasSize(2);
        assertThat(projection.list(10)).singleElement().satisfies(parked -> {
            assertThat(parked.streamId()).isEqualTo("order-" + stillParked);
            assertThat(parked.head().position()).isEqualTo(parkedBefore.head().position());
            assertThat(parked.head().error()).contains(LEGACY_TYPE);
            assertThat(parked.waitingEvents()).isEqualTo(3);
        });
        assertThat(projection.find(stillParked).orElseThrow().version()).isEqualTo(1);
        assertThat(projection.state().status()).isEqualTo(ProjectionStatus.RUNNING);
        ReconciliationReport report = new OrderReconciliation(store, projection, projection, registry).run();
        assertThat(report.mismatches()).as("the parked order as of its head, the skipped event left out").isEmpty();
        assertThat(report.checked()).isEqualTo(2);
    }
}
