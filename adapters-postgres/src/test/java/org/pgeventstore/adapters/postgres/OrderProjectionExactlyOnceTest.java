package org.pgeventstore.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
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
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.pgeventstore.adapters.postgres.order.PostgresOrderProjectionStore;
import org.pgeventstore.adapters.postgres.projection.PostgresProjectionCheckpoints;
import org.pgeventstore.adapters.postgres.projection.PostgresProjectionLeases;
import org.pgeventstore.application.eventstore.ConcurrencyConflict;
import org.pgeventstore.application.eventstore.EventFilter;
import org.pgeventstore.application.eventstore.EventStore;
import org.pgeventstore.application.eventstore.FeedPage;
import org.pgeventstore.application.eventstore.RecordedEvent;
import org.pgeventstore.application.aggregate.CommandContext;
import org.pgeventstore.application.order.NewOrder;
import org.pgeventstore.application.order.OrderCommandHandler;
import org.pgeventstore.application.order.OrderEventRegistry;
import org.pgeventstore.application.order.OrderQueries;
import org.pgeventstore.application.order.readmodel.OrderReconciliation;
import org.pgeventstore.application.order.readmodel.OrderRow;
import org.pgeventstore.application.projection.CheckpointMoved;
import org.pgeventstore.application.projection.ProjectionLeases;
import org.pgeventstore.application.projection.ProjectionRunner;
import org.pgeventstore.application.projection.ProjectionSettings;
import org.pgeventstore.application.feed.AppendSignal;
import org.pgeventstore.application.projection.ProjectionState;
import org.pgeventstore.application.projection.ProjectionStore;
import org.pgeventstore.application.projection.ReconciliationReport;
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

/**
 * The order projection on real PostgreSQL: exact under concurrent writers, across crashes, with one
 * runner at a time, and when two runners overlap (a lease lost late, a checkpoint moved under one).
 */
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

    private ProjectionRunner runner(PostgresOrderProjectionStore projection, ProjectionLeases leases, AppendSignal signal) {
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
        ReconciliationReport report = new OrderReconciliation(store, projection, projection, registry).run();
        assertThat(report.mismatches()).isEmpty();
        assertThat(report.checked()).isGreaterThanOrEqualTo(written.size());
    }

    @RepeatedTest(3)
    @DisplayName("8 writers place and change orders while the projection runs: every row equals its order's events, each event applied once")
    void exactUnderConcurrentWriters() throws Exception {
        PostgresOrderProjectionStore projection = tables.store(projectionPool);
        AppendSignal signal = new AppendSignal();
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
        ProjectionRunner first = runner(crashing, ProjectionLeases.UNCONTENDED, new AppendSignal());
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
        ProjectionRunner second = runner(restarted, ProjectionLeases.UNCONTENDED, new AppendSignal());
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
        ProjectionRunner first = runner(projection, ProjectionLeases.UNCONTENDED, new AppendSignal());
        first.catchUp();
        assertReadModelExact(projection, written);

        tables.execute("UPDATE projection_positions SET position = 0 WHERE name = '" + tables.name + "'");
        ProjectionRunner again = runner(projection, ProjectionLeases.UNCONTENDED, new AppendSignal());
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
                new PostgresProjectionLeases(firstPool), new AppendSignal());
        ProjectionRunner second = new ProjectionRunner(projection, new PostgresEventStore(secondPool), ORDERS,
                ProjectionSettings.DEFAULT.withTakeoverInterval(Duration.ofMillis(100)),
                new PostgresProjectionLeases(secondPool), new AppendSignal());
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

    /** A projection store that hands every call to another; tests override what they want to disturb. */
    private static class ForwardingProjectionStore implements ProjectionStore {
        final PostgresOrderProjectionStore delegate;

        ForwardingProjectionStore(PostgresOrderProjectionStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public String name() {
            return delegate.name();
        }

        @Override
        public ProjectionState state() {
            return delegate.state();
        }

        @Override
        public ApplyResult apply(long expectedPosition, List<RecordedEvent> events, long nextPosition) {
            return delegate.apply(expectedPosition, events, nextPosition);
        }

        @Override
        public void markFailed(long expectedPosition, RecordedEvent event, String error) {
            delegate.markFailed(expectedPosition, event, error);
        }

        @Override
        public void park(long expectedPosition, RecordedEvent event, String error) {
            delegate.park(expectedPosition, event, error);
        }

        @Override
        public void resume() {
            delegate.resume();
        }
    }

    @Test
    @DisplayName("a checkpoint moved under a running runner, between its read and its write: CheckpointMoved, nothing "
            + "of the batch applied, and the runner reads the checkpoint again and goes on")
    void checkpointMovedUnderRunner() throws Exception {
        List<OrderId> written = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            randomCommand(written);
        }
        PostgresOrderProjectionStore live = tables.store(projectionPool);
        PostgresOrderProjectionStore other = tables.store(projectionPool);
        AtomicReference<CheckpointMoved> refused = new AtomicReference<>();
        AtomicLong appliedByOther = new AtomicLong();
        AtomicBoolean untouched = new AtomicBoolean();
        ProjectionStore movedUnder = new ForwardingProjectionStore(live) {
            @Override
            public ApplyResult apply(long expectedPosition, List<RecordedEvent> events, long nextPosition) {
                if (refused.get() != null || events.size() < 2) {
                    return delegate.apply(expectedPosition, events, nextPosition);
                }
                // Another runner applies the first half of the same batch first.
                List<RecordedEvent> half = events.subList(0, events.size() / 2);
                appliedByOther.addAndGet(other.apply(expectedPosition, half, half.getLast().position()).applied());
                RecordedEvent notYet = events.get(half.size());
                try {
                    return delegate.apply(expectedPosition, events, nextPosition);
                } catch (CheckpointMoved moved) {
                    refused.set(moved);
                    untouched.set(delegate.state().position() == half.getLast().position()
                            && delegate.find(OrderId.of(notYet.streamId().substring("order-".length())))
                                    .map(row -> row.version() < notYet.version()).orElse(true));
                    throw moved;
                }
            }
        };
        ProjectionRunner runner = new ProjectionRunner(movedUnder, projectionFeed, ORDERS,
                ProjectionSettings.DEFAULT.withBatchSize(10).withTakeoverInterval(Duration.ofMillis(100)),
                ProjectionLeases.UNCONTENDED, new AppendSignal());
        runner.start();
        try {
            awaitCaughtUp(live);
        } finally {
            runner.stop();
        }

        assertThat(refused.get()).as("the store refused the batch").isNotNull();
        assertThat(refused.get().getMessage()).contains(tables.name);
        assertThat(untouched).as("nothing of the refused batch took effect").isTrue();
        assertThat(runner.checkpointMoves()).as("the runner met it once, and read its checkpoint again").isEqualTo(1);
        assertThat(runner.alreadyAppliedEvents()).isZero();
        assertThat(runner.appliedEvents() + appliedByOther.get()).as("each event applied once")
                .isEqualTo(orderEventsInFeed());
        assertReadModelExact(live, written);
    }

    /** The checkpoint as the transaction that is about to commit leaves it, tagged with who commits it. */
    private static String committedCheckpoint(Connection connection, String name, String runner) throws SQLException {
        try (var statement = connection.prepareStatement("SELECT position FROM projection_positions WHERE name = ?")) {
            statement.setString(1, name);
            try (var row = statement.executeQuery()) {
                row.next();
                return runner + "@" + row.getLong(1);
            }
        }
    }

    /** The backend holding the advisory lock of {@code projection}'s lease. */
    private int leaseHolderPid(String projection) throws SQLException {
        try (var connection = database.dataSource().getConnection();
             var statement = connection.prepareStatement("""
                     SELECT pid FROM pg_locks
                      WHERE locktype = 'advisory' AND classid = ?::oid AND objid = hashtext(?)::oid AND objsubid = 2
                        AND granted
                     """)) {
            statement.setInt(1, PostgresProjectionLeases.LOCK_CLASS);
            statement.setString(2, projection);
            try (var row = statement.executeQuery()) {
                assertThat(row.next()).as("someone holds the lease of %s", projection).isTrue();
                return row.getInt(1);
            }
        }
    }

    /** Waits until another session waits for a lock held by session {@code pid}. */
    private void awaitBlockedBy(int pid) throws SQLException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        try (var connection = database.dataSource().getConnection();
             var statement = connection.prepareStatement(
                     "SELECT count(*) FROM pg_stat_activity WHERE ?::int = ANY (pg_blocking_pids(pid))")) {
            statement.setInt(1, pid);
            while (true) {
                try (var row = statement.executeQuery()) {
                    row.next();
                    if (row.getInt(1) > 0) {
                        return;
                    }
                }
                assertThat(System.nanoTime()).as("the standby's batch waits behind the holder's").isLessThan(deadline);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
        }
    }

    private static final String KILLED = "the holder's lease session killed";

    @Test
    @DisplayName("the lease holder's session is killed while its runner goes on applying: the standby takes over at "
            + "once, both apply for a while, and every event takes effect once, the checkpoint only moving forward")
    void leaseSessionKilledUnderRunningHolder() throws Exception {
        List<OrderId> written = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 40; i++) {
            randomCommand(written);
        }
        List<String> commits = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean armed = new AtomicBoolean();
        // Each hook runs under the checkpoint row lock, right before the commit: commits are listed in their order.
        PostgresProjectionCheckpoints.BeforeCommit holderHook = connection -> {
            if (armed.compareAndSet(true, false)) {
                int lease = leaseHolderPid(tables.name);
                try (var killer = database.dataSource().getConnection(); Statement statement = killer.createStatement()) {
                    statement.execute("SELECT pg_terminate_backend(" + lease + ")");
                }
                commits.add(KILLED);
                // The standby takes the lease, reads the same checkpoint and waits for this batch to commit.
                awaitBlockedBy(connection.unwrap(org.postgresql.PGConnection.class).getBackendPID());
            }
            commits.add(committedCheckpoint(connection, tables.name, "holder"));
        };
        PostgresProjectionCheckpoints.BeforeCommit standbyHook =
                connection -> commits.add(committedCheckpoint(connection, tables.name, "standby"));
        Duration leaseTimeout = Duration.ofSeconds(4);
        ProjectionSettings settings = ProjectionSettings.DEFAULT.withBatchSize(5)
                .withTakeoverInterval(Duration.ofMillis(50));
        HikariDataSource holderPool = database.newPool(4);
        HikariDataSource standbyPool = database.newPool(4);
        AppendSignal holderSignal = new AppendSignal();
        AppendSignal standbySignal = new AppendSignal();
        ProjectionRunner holder = new ProjectionRunner(tables.store(holderPool, holderHook),
                new PostgresEventStore(holderPool), ORDERS, settings,
                new PostgresProjectionLeases(holderPool, leaseTimeout), holderSignal);
        PostgresOrderProjectionStore standbyStore = tables.store(standbyPool, standbyHook);
        standbyStore.state();
        ProjectionRunner standby = new ProjectionRunner(standbyStore,
                new PostgresEventStore(standbyPool), ORDERS, settings,
                new PostgresProjectionLeases(standbyPool, leaseTimeout), standbySignal);
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try {
            holder.start();
            awaitActive(holder);
            standby.start();
            awaitCaughtUp(tables.store(projectionPool));
            Future<?> writes = writer.submit(() -> {
                while (writing.get()) {
                    randomCommand(written);
                    holderSignal.signal();
                    standbySignal.signal();
                }
                return null;
            });
            armed.set(true);
            holderSignal.signal();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (holder.isActive() || !standby.isActive()) {
                assertThat(System.nanoTime()).as("the holder finds its lease lost within its timeout, the standby runs")
                        .isLessThan(deadline);
                Thread.sleep(20);
            }
            writing.set(false);
            writes.get(1, TimeUnit.MINUTES);
            awaitCaughtUp(tables.store(projectionPool));
        } finally {
            writing.set(false);
            writer.shutdownNow();
            holder.stop();
            standby.stop();
            holderPool.close();
            standbyPool.close();
        }

        List<String> order = List.copyOf(commits);
        assertThat(order).contains(KILLED);
        List<String> afterKill = order.subList(order.indexOf(KILLED) + 1, order.size());
        assertThat(afterKill).as("after the kill both committed batches: %s", order)
                .anyMatch(commit -> commit.startsWith("holder")).anyMatch(commit -> commit.startsWith("standby"));
        assertThat(order.stream().filter(commit -> !commit.equals(KILLED))
                .map(commit -> Long.parseLong(commit.substring(commit.indexOf('@') + 1))).toList())
                .as("the checkpoint only moves forward, across both runners (after the kill: %s)", afterKill)
                .isSorted().doesNotHaveDuplicates();
        assertThat(standby.checkpointMoves()).as("the standby's first batch was refused: the holder had applied it")
                .isPositive();
        assertThat(holder.alreadyAppliedEvents() + standby.alreadyAppliedEvents()).as("no event met a row holding it")
                .isZero();
        assertThat(holder.appliedEvents() + standby.appliedEvents()).as("every order event of the feed applied once")
                .isEqualTo(orderEventsInFeed());
        assertReadModelExact(tables.store(projectionPool), written);
    }

    private static void awaitActive(ProjectionRunner runner) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!runner.isActive()) {
            assertThat(System.nanoTime()).as("runner %s becomes active", runner.name()).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

}
