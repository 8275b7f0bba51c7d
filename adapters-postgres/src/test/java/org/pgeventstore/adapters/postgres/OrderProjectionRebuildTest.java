package org.pgeventstore.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.pgeventstore.adapters.postgres.order.PostgresOrderProjectionStore;
import org.pgeventstore.adapters.postgres.projection.PostgresProjectionRebuild;
import org.pgeventstore.adapters.postgres.projection.ReadModelTables;
import org.pgeventstore.application.eventstore.EventFilter;
import org.pgeventstore.application.eventstore.EventStore;
import org.pgeventstore.application.aggregate.CommandContext;
import org.pgeventstore.application.order.NewOrder;
import org.pgeventstore.application.order.OrderCommandHandler;
import org.pgeventstore.application.order.OrderEventRegistry;
import org.pgeventstore.application.order.readmodel.OrderListQuery;
import org.pgeventstore.application.order.readmodel.OrderReconciliation;
import org.pgeventstore.application.projection.ProjectionLeases;
import org.pgeventstore.application.projection.ProjectionRunner;
import org.pgeventstore.application.projection.ProjectionSettings;
import org.pgeventstore.application.feed.AppendSignal;
import org.pgeventstore.application.projection.ProjectionStatus;
import org.pgeventstore.application.projection.ReconciliationReport;
import org.pgeventstore.domain.order.AddItem;
import org.pgeventstore.domain.order.CustomerId;
import org.pgeventstore.domain.order.LineItem;
import org.pgeventstore.domain.order.Money;
import org.pgeventstore.domain.order.OrderId;
import org.pgeventstore.domain.order.OrderStatus;
import org.pgeventstore.domain.order.ShippingAddress;
import org.pgeventstore.domain.order.ShippingPolicy;

/** Reconciliation finds a damaged read model; a rebuild repairs it while reads and the live runner go on. */
class OrderProjectionRebuildTest {

    private static final CommandContext CONTEXT = new CommandContext("corr", null, null, OptionalLong.empty());
    private static final LineItem MUG = new LineItem("p-mug", "MUG", "Mug", 1, Money.of("10.00"));

    private final PostgresTestDatabase database = PostgresTestDatabase.shared();
    private final OrderEventRegistry registry = new OrderEventRegistry();
    private final EventStore store = new PostgresEventStore(database.dataSource());
    private final OrderCommandHandler commands = new OrderCommandHandler(store, registry, ShippingPolicy.standard(),
            Clock.systemUTC());
    private HikariDataSource pool;
    private ProjectionTables tables;

    @BeforeEach
    void setUp() {
        pool = database.newPool(6);
        tables = new ProjectionTables(database.dataSource());
    }

    @AfterEach
    void tearDown() {
        tables.execute("DELETE FROM projection_positions WHERE name = '" + tables.name + "-rebuild'");
        tables.close();
        pool.close();
    }

    private OrderId place() {
        return commands.place(new NewOrder(new CustomerId("rebuild-customer"), List.of(MUG),
                new ShippingAddress("1 Main St", "Springfield", "US", "12345")), CONTEXT, Optional.empty()).order().id();
    }

    private ProjectionRunner runner(PostgresOrderProjectionStore projection, AppendSignal signal) {
        return new ProjectionRunner(projection, new PostgresEventStore(pool), EventFilter.category("order"),
                ProjectionSettings.DEFAULT.withBatchSize(20), ProjectionLeases.UNCONTENDED, signal);
    }

    @Test
    @DisplayName("reconciliation reports a damaged row; a rebuild under live writes and reads repairs it")
    void reconcileAndRebuild() throws Exception {
        List<OrderId> orders = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            orders.add(place());
        }
        PostgresOrderProjectionStore live = tables.store(pool);
        runner(live, new AppendSignal()).catchUp();
        assertThat(new OrderReconciliation(store, live, live, registry).run().mismatches()).isEmpty();

        OrderId damaged = orders.get(7);
        tables.execute("UPDATE " + tables.liveTable() + " SET status = 'shipped', total = 1.00 WHERE id = '" + damaged + "'");
        ReconciliationReport broken = new OrderReconciliation(store, live, live, registry).run();
        assertThat(broken.mismatches()).singleElement().satisfies(mismatch -> {
            assertThat(mismatch.key()).isEqualTo(damaged.toString());
            assertThat(mismatch.problem()).contains("status", "total");
        });

        // The live runner and writers keep going, and readers keep reading, while the rebuild runs.
        AppendSignal signal = new AppendSignal();
        ProjectionRunner liveRunner = runner(live, signal);
        liveRunner.start();
        AtomicBoolean rebuilding = new AtomicBoolean(true);
        AtomicInteger reads = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(2);
        CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
            while (rebuilding.get()) {
                assertThat(live.list(new OrderListQuery(Optional.empty(), Optional.of("rebuild-customer"), 10,
                        Optional.empty())).items()).hasSize(10);
                reads.incrementAndGet();
            }
        }, threads);
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < 20; i++) {
                OrderId id = place();
                commands.addItem(new AddItem(id, MUG), CONTEXT);
                signal.signal();
            }
        }, threads);
        try {
            var rebuild = new PostgresProjectionRebuild(pool, new PostgresEventStore(pool),
                    ProjectionSettings.DEFAULT.withBatchSize(20),
                    PostgresOrderProjectionStore.projection(pool, registry, tables.name, tables.table));
            assertThat(rebuild.run()).isPositive();
            writer.get(1, TimeUnit.MINUTES);
            rebuilding.set(false);
            reader.get(1, TimeUnit.MINUTES);
            Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
            while (!store.readAll(live.state().position(), 1, EventFilter.category("order")).events().isEmpty()) {
                assertThat(Instant.now()).isBefore(deadline);
                Thread.sleep(20);
            }
        } finally {
            rebuilding.set(false);
            threads.shutdownNow();
            liveRunner.stop();
        }

        assertThat(reads).as("reads went on during the rebuild").hasPositiveValue();
        assertThat(live.state().status()).isEqualTo(ProjectionStatus.RUNNING);
        assertThat(live.find(damaged).orElseThrow().order().status()).isEqualTo(OrderStatus.PLACED);
        ReconciliationReport repaired = new OrderReconciliation(store, live, live, registry).run();
        assertThat(repaired.mismatches()).isEmpty();
        assertThat(repaired.checked()).isGreaterThanOrEqualTo(50);
        assertThat(liveRunner.alreadyAppliedEvents()).isZero();
    }

    /** Whether the global feed hands out the event at {@code position} yet. */
    private boolean inFeed(long position) {
        return store.readAll(position - 1, 1, EventFilter.ALL).events().stream().anyMatch(e -> e.position() == position);
    }

    @Test
    @DisplayName("a reader holding the read model open does not stop the swap, and the feed never waits for the swap")
    void swapBehindLongReader() throws Exception {
        for (int i = 0; i < 30; i++) {
            place();
        }
        PostgresOrderProjectionStore live = tables.store(pool);
        runner(live, new AppendSignal()).catchUp();
        ExecutorService background = Executors.newSingleThreadExecutor();
        try (var reader = database.dataSource().getConnection(); var statement = reader.createStatement()) {
            // A report that keeps its transaction, and so its locks on the read model, open throughout.
            reader.setAutoCommit(false);
            for (String table : ReadModelTables.of(tables.table)) {
                statement.execute("SELECT count(*) FROM " + table);
            }
            var rebuild = new PostgresProjectionRebuild(pool, new PostgresEventStore(pool),
                    ProjectionSettings.DEFAULT.withBatchSize(20),
                    PostgresOrderProjectionStore.projection(pool, registry, tables.name, tables.table));
            var rebuilt = background.submit(rebuild::run);
            Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
            int appended = 0;
            while (!rebuilt.isDone() || appended < 3) {
                assertThat(Instant.now()).as("the rebuild swaps within 20 s while the reader is open").isBefore(deadline);
                long position = commands.place(new NewOrder(new CustomerId("rebuild-customer"), List.of(MUG),
                        new ShippingAddress("1 Main St", "Springfield", "US", "12345")), CONTEXT, Optional.empty()).position();
                appended++;
                Instant visibleBy = Instant.now().plus(Duration.ofSeconds(2));
                while (!inFeed(position)) {
                    assertThat(Instant.now()).as("an event appended during the rebuild is in the feed within 2 s")
                            .isBefore(visibleBy);
                    Thread.sleep(5);
                }
            }
            assertThat(rebuilt.get()).isPositive();
            reader.rollback();
        } finally {
            background.shutdownNow();
        }
        runner(live, new AppendSignal()).catchUp();
        assertThat(new OrderReconciliation(store, live, live, registry).run().mismatches()).isEmpty();
    }
}
