package org.pgeventstore.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.pgeventstore.adapters.postgres.PostgresEventStore;
import org.pgeventstore.adapters.postgres.PostgresSnapshotStore;
import org.pgeventstore.application.order.OrderEventRegistry;
import org.pgeventstore.application.order.OrderQueries;
import org.pgeventstore.application.order.OrderSnapshotCodec;
import org.pgeventstore.application.order.OrderState;
import org.pgeventstore.application.order.OrderStreams;
import org.pgeventstore.application.snapshot.RecentStates;
import org.pgeventstore.application.snapshot.Snapshot;
import org.pgeventstore.application.snapshot.SnapshotMetrics;
import org.pgeventstore.application.snapshot.SnapshotPolicy;
import org.pgeventstore.application.snapshot.SnapshotWriter;
import org.pgeventstore.application.snapshot.Snapshotting;
import org.pgeventstore.domain.order.OrderId;

/**
 * Loading an order with snapshots on, wired as the service wires them: the PostgreSQL snapshot
 * store, the default policy (a snapshot every {@value #EVERY_N} events) and the background
 * writer, behind {@link OrderQueries}. Each order is appended, loaded once (the load replays the
 * stream and offers its state, which the policy accepts), and measured once the writer has stored
 * the snapshot: every measured load reads the snapshot, decodes it and reads the (empty) rest of
 * the stream. The snapshot is at the stream's head; the service's policy leaves a stream between
 * 0 and {@value #EVERY_N} - 1 events past its latest snapshot, so a load there replays up to 99
 * events more. The baseline is the raw read of the whole stream without snapshots
 * ({@link AggregateLoadCase}), which the load with snapshots is meant to beat.
 */
final class SnapshottedLoadCase implements BenchmarkCase {

    static final String ID = "load.order." + RunPlan.HEADLINE_ORDER_SIZE + ".snapshot";
    static final String RECENT_ID = "load.order." + RunPlan.HEADLINE_ORDER_SIZE + ".recent";
    static final Target TARGET = Target.p99AtMostMillis(2);
    static final long EVERY_N = 100;

    static String curveId(int events) {
        return "load.curve.snapshot." + events;
    }

    @Override
    public String name() {
        return "aggregate load with snapshots";
    }

    @Override
    public List<Figure> run(BenchmarkContext context) throws Exception {
        List<Figure> figures = new ArrayList<>();
        OrderEventRegistry registry = new OrderEventRegistry();
        RunPlan plan = context.plan();
        try (HikariDataSource pool = context.database().pool("snapshot-load", 2)) {
            PostgresEventStore store = new PostgresEventStore(pool);
            PostgresSnapshotStore snapshots = new PostgresSnapshotStore(pool);
            try (SnapshotWriter writer = new SnapshotWriter(store, snapshots, SnapshotPolicy.everyEvents(EVERY_N),
                    SnapshotMetrics.discarding(), Clock.systemUTC(), 1_000, 3)) {
                OrderQueries queries = new OrderQueries(store, registry, Snapshotting.on(writer));

                int size = RunPlan.HEADLINE_ORDER_SIZE;
                OrderId order = snapshotted(store, registry, queries, writer, snapshots, pool, size);
                Measurement load = LoadDriver.run(1, plan.warmup(), plan.measure(), index -> load(queries, order, size));
                figures.add(Figure.measured(ID, "load",
                        "load a " + Numbers.count(size) + "-event order from a snapshot", "events/s", "load", load,
                        context.baseline(AggregateLoadCase.rawReadId(size)), TARGET,
                        "OrderQueries.current with snapshots on: snapshot at the head (" + Numbers.count(size)
                                + " line items) read and decoded, no event replayed"));

                // The service's own setting: the instance keeps the latest states it rebuilt, so a
                // load of an order it served before reads only the events after that state.
                OrderQueries warm = new OrderQueries(store, registry, Snapshotting.on(writer, new RecentStates(1_000)));
                warm.current(order);
                Measurement recent = LoadDriver.run(1, plan.warmup(), plan.measure(), index -> load(warm, order, size));
                figures.add(Figure.measured(RECENT_ID, "load",
                        "load a " + Numbers.count(size) + "-event order, kept in memory", "events/s", "load", recent,
                        context.baseline(AggregateLoadCase.rawReadId(size)), TARGET,
                        "OrderQueries.current with snapshots and recent states on (the service's default): the state "
                                + "kept by an earlier load, then one read of the events after it"));

                for (int events : plan.loadSizes()) {
                    OrderId curveOrder = snapshotted(store, registry, queries, writer, snapshots, pool, events);
                    int warmups = events >= 100_000 ? 1 : 3;
                    Measurement curve = LoadDriver.repeat(warmups, plan.loadBudget(), 2, load(queries, curveOrder, events));
                    figures.add(Figure.measured(curveId(events), "load-curve",
                            "load time, " + Numbers.count(events) + "-event order, snapshot", "events/s", "load", curve,
                            context.baseline(AggregateLoadCase.rawCurveId(events)), null, null));
                }
            }
        }
        return figures;
    }

    /** Appends an order of {@code events} events, loads it once so that the writer snapshots it, and waits for the snapshot. */
    private static OrderId snapshotted(PostgresEventStore store, OrderEventRegistry registry, OrderQueries queries,
                                       SnapshotWriter writer, PostgresSnapshotStore snapshots, HikariDataSource pool,
                                       int events) throws Exception {
        OrderId order = BenchmarkOrders.append(store, registry, events);
        BenchmarkDatabase.settle(pool);
        queries.current(order);
        if (!writer.awaitIdle(Duration.ofMinutes(2))) {
            throw new IllegalStateException("the snapshot of the " + events + "-event order was not written in time");
        }
        Snapshot snapshot = snapshots.latest(OrderStreams.streamOf(order), OrderSnapshotCodec.SCHEMA_VERSION, Long.MAX_VALUE)
                .orElseThrow(() -> new IllegalStateException("no snapshot of the " + events + "-event order was stored"));
        if (events - snapshot.version() >= EVERY_N) {
            throw new IllegalStateException("the snapshot is at version " + snapshot.version() + ", more than "
                    + EVERY_N + " events behind " + events);
        }
        return order;
    }

    private static LoadDriver.Operation load(OrderQueries queries, OrderId order, int events) {
        return () -> {
            OrderState state = queries.current(order);
            if (state.order().version() != events) {
                throw new IllegalStateException("loaded version " + state.order().version() + ", expected " + events);
            }
            return events;
        };
    }
}
