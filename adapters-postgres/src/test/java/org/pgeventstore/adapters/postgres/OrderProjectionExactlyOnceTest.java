package org.pgeventstore.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.pgeventstore.application.eventstore.ConcurrencyConflict;
import org.pgeventstore.application.eventstore.EventFilter;
import org.pgeventstore.application.eventstore.EventStore;
import org.pgeventstore.application.eventstore.FeedPage;
import org.pgeventstore.application.order.CommandContext;
import org.pgeventstore.application.order.NewOrder;
import org.pgeventstore.application.order.OrderCommandHandler;
import org.pgeventstore.application.order.OrderEventRegistry;
import org.pgeventstore.application.order.OrderQueries;
import org.pgeventstore.application.projection.OrderReconciliation;
import org.pgeventstore.application.projection.OrderRow;
import org.pgeventstore.application.projection.ProjectionLeases;
import org.pgeventstore.application.projection.ProjectionRunner;
import org.pgeventstore.application.projection.ProjectionSettings;
import org.pgeventstore.application.projection.ProjectionSignal;
import org.pgeventstore.domain.order.AddItem;
import org.pgeventstore.domain.order.CancelOrder;
import org.pgeventstore.domain.order.CustomerId;
import org.pgeventstore.domain.order.DeliverOrder;
import org.pgeventstore.domain.order.LineItem;
import org.pgeventstore.domain.order.Money;
import org.pgeventstore.domain.order.Order;
import org.pgeventstore.domain.order.OrderId;
import org.pgeventstore.domain.order.OrderRejection;
import org.pgeventstore.domain.order.PayOrder;
import org.pgeventstore.domain.order.ShipOrder;
import org.pgeventstore.domain.order.ShippingAddress;
import org.pgeventstore.domain.order.ShippingPolicy;

/** The order projection on real PostgreSQL: exact under concurrent writers, across crashes, with one runner at a time. */
class OrderProjectionExactlyOnceTest {

    private static final EventFilter ORDERS = EventFilter.category("order");
    private static final CommandContext CONTEXT = new CommandContext("corr", null, "test", java.util.OptionalLong.empty());

    private final PostgresTestDatabase database = PostgresTestDatabase.shared();
    private final OrderEventRegistry registry = new OrderEventRegistry();
    private final EventStore store = new PostgresEventStore(database.dataSource());
    private final OrderCommandHandler commands = new OrderCommandHandler(store, registry, ShippingPolicy.standard(),
            Clock.systemUTC());
    private final OrderQueries queries = new OrderQueries(store, registry);
    private HikariDataSource projectionPool;
    private EventStore projectionFeed;
    private ProjectionTables tables;

    @BeforeEach
    void setUp() {
        projectionPool = database.newPool(6);
        projectionFeed = new PostgresEventStore(projectionPool);
        tables = new ProjectionTables(database.dataSource());
    }

    @AfterEach
    void tearDown() {
        tables.close();
        projectionPool.close();
    }

    private static NewOrder newOrder() {
        return new NewOrder(new CustomerId("customer-" + ThreadLocalRandom.current().nextInt(5)),
                List.of(item(ThreadLocalRandom.current().nextInt(1, 4))),
                new ShippingAddress("1 Main St", "Springfield", "US", "12345"));
    }

    private static LineItem item(int quantity) {
        return new LineItem("p-1", "SKU-1", "Widget", quantity, Money.of("9.99"));
    }

    /** One random command on a random known order, or a new order; business rejections are part of the game. */
    private void randomCommand(List<OrderId> orders) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        if (orders.isEmpty() || random.nextInt(4) == 0) {
            orders.add(commands.place(newOrder(), CONTEXT, Optional.empty()).order().id());
            return;
        }
        OrderId id = orders.get(random.nextInt(orders.size()));
        try {
            switch (random.nextInt(6)) {
                case 0, 1 -> commands.addItem(new AddItem(id, item(1)), CONTEXT);
                case 2 -> {
                    Order order = queries.current(id).order();
                    commands.pay(new PayOrder(id, order.total(), "card"), CONTEXT);
                }
                case 3 -> commands.ship(new ShipOrder(id, "TRK", "UPS", Optional.empty()), CONTEXT);
                case 4 -> commands.deliver(new DeliverOrder(id, Optional.empty(), Optional.empty()), CONTEXT);
                default -> commands.cancel(new CancelOrder(id, "changed mind", "customer", Optional.empty()), CONTEXT);
            }
        } catch (OrderRejection | ConcurrencyConflict expected) {
            // Invalid in the order's current state, or lost a race: nothing appended.
        }
    }

    private ProjectionRunner runner(PostgresOrderProjectionStore projection, ProjectionLeases leases, ProjectionSignal signal) {
        return new ProjectionRunner(projection, projectionFeed, ORDERS,
                ProjectionSettings.DEFAULT.withBatchSize(10).withTakeoverInterval(Duration.ofMillis(100)), leases, signal);
    }

    private long orderEventsInFeed() {
        long count = 0;
        long after = 0;
        while (true) {
            FeedPage page = store.readAll(after, 1000, ORDERS);
            if (page.events().isEmpty()) {
                return count;
            }
            count += page.events().size();
            after = page.next();
        }
    }

    private void awaitCaughtUp(PostgresOrderProjectionStore projection) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!store.readAll(projection.state().position(), 1, ORDERS).events().isEmpty()) {
            assertThat(System.nanoTime()).as("the projection catches up within a minute").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    /** Every order of the feed has a row equal to its events' fold, and no row exists without an order. */
    private void assertReadModelExact(PostgresOrderProjectionStore projection, List<OrderId> written) {
        for (OrderId id : written) {
            Order expected = queries.current(id).order();
            Optional<OrderRow> row = projection.find(id);
            assertThat(row).as("row of order %s", id).isPresent();
            assertThat(OrderReconciliation.differences(expected, row.get().order())).as("order %s", id).isEmpty();
        }
        OrderReconciliation.Report report = new OrderReconciliation(store, projection, projection, registry).run();
        assertThat(report.mismatches()).isEmpty();
        assertThat(report.ordersChecked()).isGreaterThanOrEqualTo(written.size());
    }

    @RepeatedTest(3)
    @DisplayName("8 writers place and change orders while the projection runs: every row equals its order's events, each event applied once")
    void exactUnderConcurrentWriters() throws Exception {
        PostgresOrderProjectionStore projection = tables.store(projectionPool);
        ProjectionSignal signal = new ProjectionSignal();
        ProjectionRunner runner = runner(projection, new PostgresProjectionLeases(projectionPool), signal);
        runner.start();
        List<OrderId> written = new CopyOnWriteArrayList<>();
        ExecutorService writers = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < 8; w++) {
                futures.add(writers.submit(() -> {
                    List<OrderId> mine = new ArrayList<>();
                    for (int i = 0; i < 60; i++) {
                        // Half the time on a shared order, so writers race on the same streams.
                        randomCommand(i % 2 == 0 || written.isEmpty() ? mine : written);
                        if (!mine.isEmpty() && !written.contains(mine.getLast())) {
                            written.add(mine.getLast());
                        }
                        signal.signal();
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get(3, TimeUnit.MINUTES);
            }
            awaitCaughtUp(projection);
        } finally {
            writers.shutdownNow();
            runner.stop();
        }

        assertThat(written).hasSizeGreaterThan(8);
        assertReadModelExact(projection, written);
        assertThat(runner.alreadyAppliedEvents()).as("no event met a row that already held it").isZero();
        assertThat(runner.appliedEvents()).as("every order event of the feed applied exactly once")
                .isEqualTo(orderEventsInFeed());
        assertThat(runner.failures()).isZero();
    }

    @Test
    @DisplayName("a runner killed between reading a batch and committing it leaves the read model exact after restart")
    void crashBeforeCommit() throws Exception {
        List<OrderId> written = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            randomCommand(written);
        }
        AtomicInteger commits = new AtomicInteger();
        AtomicBoolean killed = new AtomicBoolean();
        // Batches of 10 events; the third batch's session is terminated from outside right before its commit: a crash.
        PostgresOrderProjectionStore crashing = tables.store(projectionPool, connection -> {
            if (commits.incrementAndGet() == 3) {
                int pid = connection.unwrap(org.postgresql.PGConnection.class).getBackendPID();
                try (var killer = database.dataSource().getConnection(); Statement statement = killer.createStatement()) {
                    statement.execute("SELECT pg_terminate_backend(" + pid + ")");
                    // Termination is asynchronous: wait until the session is gone, so the commit cannot slip through.
                    while (true) {
                        try (var gone = statement.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE pid = " + pid)) {
                            gone.next();
                            if (gone.getInt(1) == 0) {
                                break;
                            }
                        }
                        Thread.onSpinWait();
                    }
                }
                killed.set(true);
            }
        });
        ProjectionRunner first = runner(crashing, ProjectionLeases.UNCONTENDED, new ProjectionSignal());
        try {
            first.catchUp();
            throw new AssertionError("the terminated session's commit should have failed");
        } catch (RuntimeException crash) {
            assertThat(killed).isTrue();
        }
        long appliedBeforeCrash = first.appliedEvents();
        assertThat(appliedBeforeCrash).as("two batches committed before the crash").isPositive();
        assertThat(crashing.state().position()).as("the checkpoint is where the last committed batch left it")
                .isEqualTo(first.lastKnownPosition());

        PostgresOrderProjectionStore restarted = tables.store(projectionPool);
        ProjectionRunner second = runner(restarted, ProjectionLeases.UNCONTENDED, new ProjectionSignal());
        second.catchUp();

        assertReadModelExact(restarted, written);
        assertThat(appliedBeforeCrash + second.appliedEvents()).as("each event applied once across the crash")
                .isEqualTo(orderEventsInFeed());
        assertThat(second.alreadyAppliedEvents()).isZero();
    }

    @Test
    @DisplayName("a checkpoint moved back by hand: the rows' version guard recognises every event as applied, nothing changes")
    void versionGuard() {
        List<OrderId> written = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            randomCommand(written);
        }
        PostgresOrderProjectionStore projection = tables.store(projectionPool);
        ProjectionRunner first = runner(projection, ProjectionLeases.UNCONTENDED, new ProjectionSignal());
        first.catchUp();
        assertReadModelExact(projection, written);

        tables.execute("UPDATE projection_positions SET position = 0 WHERE name = '" + tables.name + "'");
        ProjectionRunner again = runner(projection, ProjectionLeases.UNCONTENDED, new ProjectionSignal());
        again.catchUp();

        assertThat(again.appliedEvents()).as("no event applied a second time").isZero();
        assertThat(again.alreadyAppliedEvents()).isEqualTo(first.appliedEvents());
        assertReadModelExact(projection, written);
    }

    @Test
    @DisplayName("two runners for one projection: one runs, the other takes over when the first one's session dies")
    void singleRunnerWithTakeover() throws Exception {
        for (int i = 0; i < 10; i++) {
            commands.place(newOrder(), CONTEXT, Optional.empty());
        }
        PostgresOrderProjectionStore projection = tables.store(projectionPool);
        HikariDataSource firstPool = database.newPool(3);
        HikariDataSource secondPool = database.newPool(3);
        ProjectionRunner first = new ProjectionRunner(projection, new PostgresEventStore(firstPool), ORDERS,
                ProjectionSettings.DEFAULT.withTakeoverInterval(Duration.ofMillis(100)),
                new PostgresProjectionLeases(firstPool), new ProjectionSignal());
        ProjectionRunner second = new ProjectionRunner(projection, new PostgresEventStore(secondPool), ORDERS,
                ProjectionSettings.DEFAULT.withTakeoverInterval(Duration.ofMillis(100)),
                new PostgresProjectionLeases(secondPool), new ProjectionSignal());
        try {
            first.start();
            awaitActive(first);
            second.start();
            Thread.sleep(500);
            assertThat(second.isActive()).as("the second runner waits while the first holds the lease").isFalse();
            awaitCaughtUp(projection);

            // The first instance dies: its sessions end, PostgreSQL releases its advisory lock.
            first.stop();
            firstPool.close();
            awaitActive(second);
            OrderId late = commands.place(newOrder(), CONTEXT, Optional.empty()).order().id();
            awaitCaughtUp(projection);
            assertThat(projection.find(late)).as("the second runner applies new events").isPresent();
            assertThat(first.appliedEvents() + second.appliedEvents()).isEqualTo(orderEventsInFeed());
        } finally {
            first.stop();
            second.stop();
            firstPool.close();
            secondPool.close();
        }
    }

    private static void awaitActive(ProjectionRunner runner) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!runner.isActive()) {
            assertThat(System.nanoTime()).as("runner %s becomes active", runner.name()).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

}
