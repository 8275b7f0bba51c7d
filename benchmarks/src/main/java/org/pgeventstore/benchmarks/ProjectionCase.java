package org.pgeventstore.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.pgeventstore.adapters.postgres.PostgresEventStore;
import org.pgeventstore.adapters.postgres.order.PostgresOrderProjectionStore;
import org.pgeventstore.application.eventstore.EventFilter;
import org.pgeventstore.application.eventstore.FeedPage;
import org.pgeventstore.application.order.OrderEventRegistry;
import org.pgeventstore.application.projection.ProjectionLeases;
import org.pgeventstore.application.projection.ProjectionRunner;
import org.pgeventstore.application.projection.ProjectionSettings;
import org.pgeventstore.application.feed.AppendSignal;
import org.pgeventstore.domain.order.OrderId;

/**
 * The order read model's projection, run as the service runs it ({@link ProjectionRunner} over
 * {@link PostgresOrderProjectionStore}, feed filtered to category {@code order}, batches of
 * {@value #BATCH}), on a table of its own.
 *
 * <p>Catch-up: appends a known number of orders of {@value #EVENTS_PER_ORDER} events, then times
 * {@link ProjectionRunner#catchUp} of a fresh read model whose checkpoint is the feed's head
 * before those orders (position 0 when the case runs alone), so that only these events are
 * projected and orders other cases left in the table (up to 100,000 events each) do not change
 * what is measured. The figure counts the events the runner applied. Its baseline is the feed
 * read of the same events, with the runner's filter and page size, which a projection has to do
 * anyway: taken before and after every catch-up ({@link Interleaving}), after catch-ups and reads
 * unmeasured for the plan's warm-up.
 *
 * <p>Placed to visible: with the runner live on its own thread, one client appends an order's
 * OrderPlaced, signals the runner (as the service's command path does) and polls the read model
 * until it finds the order; the latency of that whole round is recorded.
 */
final class ProjectionCase implements BenchmarkCase {

    static final String CATCH_UP_ID = "projection.catch-up";
    static final String VISIBLE_ID = "projection.placed-to-visible";
    /** The baseline of the catch-up: the feed read of the same events, taken around each catch-up. */
    static final String FEED_OF_CATCH_UP_ID = "baseline.read.feed.order";
    static final Target CATCH_UP_TARGET = Target.ratioAtLeast(0.5);
    static final Target VISIBLE_TARGET = Target.p99AtMostMillis(100);
    static final int BATCH = 1_000;
    static final int EVENTS_PER_ORDER = 10;
    private static final EventFilter ORDERS = EventFilter.category("order");
    private static final String NAME = "bench-orders";
    private static final String TABLE = "order_projections_bench";
    private static final int WRITERS = 8;

    @Override
    public String name() {
        return "projection catch-up and placed-to-visible latency";
    }

    @Override
    public List<Figure> run(BenchmarkContext context) throws Exception {
        RunPlan plan = context.plan();
        int orders = plan.isQuick() ? 2_000 : 10_000;
        OrderEventRegistry registry = new OrderEventRegistry();
        try (HikariDataSource pool = context.database().pool("projection", WRITERS + 2)) {
            PostgresEventStore store = new PostgresEventStore(pool);
            long from = headPosition(pool);
            long appended = fill(store, registry, orders);
            BenchmarkDatabase.settle(pool);
            try {
                Figure catchUpFigure = catchUps(context, pool, store, registry, from, appended, orders);
                Figure visibleFigure = placedToVisible(plan, pool, store, registry);
                return List.of(catchUpFigure, visibleFigure);
            } finally {
                dropReadModel(pool);
            }
        }
    }

    /**
     * Catch-ups and feed reads of the same events, unmeasured, for the plan's warm-up (at least one
     * of each: the JIT compiles the fold, the writes and the reads), then feed read, catch-up, feed
     * read, ...: each catch-up's ratio is taken against the feed reads just before and after it.
     */
    private static Figure catchUps(BenchmarkContext context, HikariDataSource pool, PostgresEventStore store,
                                   OrderEventRegistry registry, long from, long appended, int orders) throws Exception {
        int rounds = context.plan().rounds();
        long warmUntil = System.nanoTime() + context.plan().warmup().toNanos();
        do {
            catchUp(pool, registry, from, appended);
            feedRead(store, from, appended);
        } while (System.nanoTime() < warmUntil);
        List<Double> feedReads = new ArrayList<>();
        List<Double> throughputs = new ArrayList<>();
        List<Measurement> runs = new ArrayList<>();
        for (int round = 0; round <= rounds; round++) {
            feedReads.add(feedRead(store, from, appended));
            if (round < rounds) {
                Measurement run = catchUp(pool, registry, from, appended);
                runs.add(run);
                throughputs.add(run.eventsPerSecond());
            }
        }
        Interleaving interleaving = Interleaving.of(throughputs, feedReads, List.of());
        return Figure.interleaved(CATCH_UP_ID, "projection", "projection catch-up, empty read model", "events/s",
                "whole catch-up", Measurement.pooled(runs), interleaving, FEED_OF_CATCH_UP_ID, CATCH_UP_TARGET,
                Numbers.count(appended) + " events of " + Numbers.count(orders) + " orders, batches of " + BATCH
                        + ", " + rounds + " catch-ups each between two reads of the same events from the feed (category"
                        + " order, pages of " + BATCH + "), after the warm-up's; latency is a whole catch-up");
    }

    /** One catch-up of a fresh read model over the {@code appended} events after {@code from}. */
    private static Measurement catchUp(HikariDataSource pool, OrderEventRegistry registry, long from, long appended)
            throws Exception {
        ProjectionRunner runner = runner(pool, freshReadModel(pool, registry, from), new AppendSignal());
        long begin = System.nanoTime();
        long applied = runner.catchUp();
        long took = System.nanoTime() - begin;
        if (applied != appended || runner.failures() > 0) {
            throw new IllegalStateException("the catch-up applied " + applied + " events with " + runner.failures()
                    + " failures; " + appended + " were appended");
        }
        Histogram once = new Histogram(TimeUnit.MINUTES.toNanos(10), 3);
        once.recordValue(took);
        return new Measurement(1, took / 1e9, 1, applied, 0, null, once);
    }

    /** The rate at which the feed hands out the events a catch-up reads: the same filter and pages. */
    private static double feedRead(PostgresEventStore store, long from, long appended) {
        long begin = System.nanoTime();
        long read = 0;
        long after = from;
        FeedPage page;
        while (!(page = store.readAll(after, BATCH, ORDERS)).events().isEmpty()) {
            read += page.events().size();
            after = page.next();
        }
        double seconds = (System.nanoTime() - begin) / 1e9;
        if (read != appended) {
            throw new IllegalStateException("the feed held " + read + " order events after position " + from + "; "
                    + appended + " were appended");
        }
        return read / seconds;
    }

    private static Figure placedToVisible(RunPlan plan, HikariDataSource pool, PostgresEventStore store,
                                          OrderEventRegistry registry) throws Exception {
        PostgresOrderProjectionStore projection = freshReadModel(pool, registry, headPosition(pool));
        AppendSignal signal = new AppendSignal();
        ProjectionRunner runner = runner(pool, projection, signal);
        runner.start();
        try {
            Measurement visible = LoadDriver.run(1, plan.warmup(), plan.measure(),
                    index -> () -> placeAndWait(store, registry, projection, signal));
            return Figure.measured(VISIBLE_ID, "projection", "order placed to visible in the read model", "orders/s",
                    "placed to visible", visible, null, VISIBLE_TARGET,
                    "append OrderPlaced, signal the live runner, poll the read model every 0.2 ms");
        } finally {
            runner.stop();
        }
    }

    /** Empty read model tables of this case, its checkpoint at {@code position}. */
    private static PostgresOrderProjectionStore freshReadModel(HikariDataSource pool, OrderEventRegistry registry,
                                                               long position) throws Exception {
        PostgresOrderProjectionStore projection = PostgresOrderProjectionStore.fresh(pool, registry, NAME, TABLE);
        startAt(pool, position);
        return projection;
    }

    /** The runner as the service runs it, over the order events, in batches of {@value #BATCH}. */
    private static ProjectionRunner runner(HikariDataSource pool, PostgresOrderProjectionStore projection,
                                           AppendSignal signal) {
        return new ProjectionRunner(projection, new PostgresEventStore(pool), ORDERS,
                ProjectionSettings.DEFAULT.withBatchSize(BATCH), ProjectionLeases.UNCONTENDED, signal);
    }

    private static long placeAndWait(PostgresEventStore store, OrderEventRegistry registry,
                                     PostgresOrderProjectionStore projection, AppendSignal signal) {
        OrderId order = BenchmarkOrders.append(store, registry, 1);
        signal.signal();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (projection.find(order).isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("order " + order + " not visible after 10 s");
            }
            LockSupport.parkNanos(200_000);
        }
        return 1;
    }

    /** Appends {@code orders} orders of {@value #EVENTS_PER_ORDER} events from {@value #WRITERS} threads; returns the events appended. */
    static long fill(PostgresEventStore store, OrderEventRegistry registry, int orders) throws Exception {
        ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int share = orders / WRITERS + (w < orders % WRITERS ? 1 : 0);
                done.add(writers.submit(() -> {
                    for (int i = 0; i < share; i++) {
                        BenchmarkOrders.append(store, registry, EVENTS_PER_ORDER);
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            writers.shutdown();
        }
        return (long) orders * EVENTS_PER_ORDER;
    }

    static long headPosition(HikariDataSource pool) throws Exception {
        try (Connection connection = pool.getConnection();
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT coalesce(max(position), 0) FROM events")) {
            row.next();
            return row.getLong(1);
        }
    }

    private static void startAt(HikariDataSource pool, long position) throws Exception {
        try (Connection connection = pool.getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "INSERT INTO projection_positions (name, position) VALUES (?, ?)"
                             + " ON CONFLICT (name) DO UPDATE SET position = excluded.position")) {
            statement.setString(1, NAME);
            statement.setLong(2, position);
            statement.executeUpdate();
        }
    }

    private static void dropReadModel(HikariDataSource pool) throws Exception {
        try (Connection connection = pool.getConnection();
             Statement statement = connection.createStatement()) {
            for (String table : PostgresOrderProjectionStore.tablesOf(TABLE)) {
                statement.execute("DROP TABLE IF EXISTS " + table);
            }
            statement.execute("DELETE FROM projection_positions WHERE name = '" + NAME + "'");
        }
    }
}
