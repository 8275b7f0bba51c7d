package org.pgeventstore.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.pgeventstore.adapters.postgres.PostgresEventStore;
import org.pgeventstore.application.aggregate.AggregateLoader;
import org.pgeventstore.application.order.OrderEventRegistry;
import org.pgeventstore.application.order.OrderQueries;
import org.pgeventstore.application.order.OrderState;
import org.pgeventstore.application.order.OrderStreams;
import org.pgeventstore.domain.order.OrderId;

/**
 * Loading an order from its whole stream, without snapshots: {@link OrderQueries#current}, which
 * reads the stream page by page, parses every event and folds it. The baseline is the raw read of
 * the same rows: one SELECT of the stream in version order, every column fetched, nothing parsed,
 * on the same order; the headline load runs in rounds between raw reads ({@link Interleaving}).
 */
final class AggregateLoadCase implements BenchmarkCase {

    static String loadId(int events) {
        return "load.order." + events;
    }

    static String rawReadId(int events) {
        return "baseline.read.stream." + events;
    }

    static String curveId(int events) {
        return "load.curve." + events;
    }

    static String rawCurveId(int events) {
        return "baseline.read.stream.curve." + events;
    }

    /** Within 1.2x the raw SELECT's time: a throughput of at least 1 / 1.2 of it. */
    static final Target TARGET = Target.ratioAtLeast(0.83);

    private static final String RAW_READ = """
            SELECT event_id, type, version, position, data::text, metadata::text, occurred_at
              FROM events
             WHERE stream_id = ?
             ORDER BY version
            """;

    @Override
    public String name() {
        return "aggregate load without snapshots, and load time by order length";
    }

    @Override
    public List<Figure> run(BenchmarkContext context) throws Exception {
        List<Figure> figures = new ArrayList<>();
        OrderEventRegistry registry = new OrderEventRegistry();
        try (HikariDataSource pool = context.database().pool("load", 2)) {
            PostgresEventStore store = new PostgresEventStore(pool);
            RunPlan plan = context.plan();

            int size = RunPlan.HEADLINE_ORDER_SIZE;
            OrderId order = BenchmarkOrders.append(store, registry, size);
            BenchmarkDatabase.settle(pool);
            OrderQueries queries = new OrderQueries(store, registry);
            figures.addAll(interleaved(plan, pool, queries, order, size));

            for (int events : plan.loadSizes()) {
                OrderId curveOrder = BenchmarkOrders.append(store, registry, events);
                BenchmarkDatabase.settle(pool);
                int warmups = events >= 100_000 ? 0 : 3;
                Measurement rawCurve = LoadDriver.repeat(warmups, plan.loadBudget(), 2,
                        rawRead(pool, curveOrder, events));
                Figure rawCurveFigure = Figure.measured(rawCurveId(events), "baseline",
                        "raw SELECT of a " + Numbers.count(events) + "-event stream", "events/s", "read", rawCurve,
                        null, null, null);
                figures.add(rawCurveFigure);
                Measurement curve = LoadDriver.repeat(warmups, plan.loadBudget(), 2, load(queries, curveOrder, events));
                figures.add(Figure.measured(curveId(events), "load-curve",
                        "load time, " + Numbers.count(events) + "-event order, no snapshot", "events/s", "load", curve,
                        rawCurveFigure, null, null));
            }
        }
        return figures;
    }

    /**
     * The headline load between raw reads of the same rows: raw, load, raw, ..., raw, one run of
     * the plan's warm-up and measuring time each, so that each round's ratio is taken against the
     * raw reads just before and after it.
     */
    private static List<Figure> interleaved(RunPlan plan, DataSource pool, OrderQueries queries, OrderId order, int size)
            throws Exception {
        int rounds = plan.rounds();
        List<Double> raws = new ArrayList<>();
        List<Measurement> rawRuns = new ArrayList<>();
        List<Double> throughputs = new ArrayList<>();
        List<Measurement> loadRuns = new ArrayList<>();
        for (int round = 0; round <= rounds; round++) {
            Measurement raw = LoadDriver.run(1, plan.warmup(), plan.measure(), index -> rawRead(pool, order, size));
            rawRuns.add(raw);
            raws.add(raw.eventsPerSecond());
            if (round < rounds) {
                Measurement load = LoadDriver.run(1, plan.warmup(), plan.measure(), index -> load(queries, order, size));
                loadRuns.add(load);
                throughputs.add(load.eventsPerSecond());
            }
        }
        Figure rawFigure = Figure.measured(rawReadId(size), "baseline",
                "raw SELECT of a " + Numbers.count(size) + "-event stream", "events/s", "read", Measurement.pooled(rawRuns),
                null, null, "one statement, rows fetched, nothing parsed; " + rawRuns.size() + " runs around the loads'");
        Interleaving interleaving = Interleaving.of(throughputs, raws, List.of());
        Figure loadFigure = Figure.interleaved(loadId(size), "load",
                "load a " + Numbers.count(size) + "-event order, no snapshot", "events/s", "load",
                Measurement.pooled(loadRuns), interleaving, rawReadId(size), TARGET,
                "OrderQueries.current: pages of " + AggregateLoader.DEFAULT_PAGE_SIZE + ", JSON read, events folded; "
                        + rounds + " round" + (rounds == 1 ? "" : "s") + " between raw reads");
        return List.of(rawFigure, loadFigure);
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

    private static LoadDriver.Operation rawRead(DataSource pool, OrderId order, int events) {
        String stream = OrderStreams.streamOf(order).value();
        return () -> {
            try (Connection connection = pool.getConnection();
                 PreparedStatement statement = connection.prepareStatement(RAW_READ)) {
                statement.setString(1, stream);
                long rows = 0;
                try (ResultSet result = statement.executeQuery()) {
                    while (result.next()) {
                        result.getObject(1, UUID.class);
                        result.getString(2);
                        result.getLong(3);
                        result.getLong(4);
                        result.getString(5);
                        result.getString(6);
                        result.getObject(7, OffsetDateTime.class);
                        rows++;
                    }
                }
                if (rows != events) {
                    throw new IllegalStateException("read " + rows + " rows, expected " + events);
                }
                return rows;
            }
        };
    }
}
