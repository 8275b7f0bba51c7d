package org.pgeventstore.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.pgeventstore.adapters.postgres.PostgresEventStore;
import org.pgeventstore.application.eventstore.AppendResult;
import org.pgeventstore.application.eventstore.ExpectedVersion;
import org.pgeventstore.application.eventstore.StreamId;

/**
 * Appends through {@link PostgresEventStore} over a HikariCP pool with as many connections as
 * writers, compared with the raw INSERT baseline at the same client count and, where pgbench
 * exists, with pgbench's INSERT at that count. Each configuration runs in rounds between its
 * baselines (JDBC, pgbench, case, JDBC, pgbench, case, ..., JDBC, pgbench; see {@link Interleaving}),
 * so its ratios are taken against baselines measured around it.
 * <ul>
 *   <li>Distinct streams: each writer appends to its own stream at the exact version it expects
 *       next, the path every command takes.</li>
 *   <li>Shared streams: every writer appends to one of 8 streams picked at random, with expected
 *       version {@code any}: writers to the same stream queue on its advisory lock.</li>
 * </ul>
 */
final class StoreAppendCase implements BenchmarkCase {

    static final int SHARED_STREAMS = 8;
    static final double SINGLE_EVENT_TARGET = 0.85;
    static final double BATCH_TARGET = 0.9;

    @Override
    public String name() {
        return "store appends through PostgresEventStore";
    }

    @Override
    public List<Figure> run(BenchmarkContext context) throws Exception {
        List<Figure> figures = new ArrayList<>();
        try (BaselineInsertCase.Table baseline = BaselineInsertCase.table(context)) {
            for (int writers : BaselineInsertCase.SINGLE_ROW_CLIENTS) {
                figures.add(interleaved(context, baseline, "append.1event.distinct.w" + writers,
                        "append 1 event, " + writers + " writer" + (writers == 1 ? "" : "s") + ", distinct streams",
                        writers, 1, false, BaselineInsertCase.singleRowId(writers), Target.ratioAtLeast(SINGLE_EVENT_TARGET)));
            }
            figures.add(interleaved(context, baseline, "append.1event.shared.w8",
                    "append 1 event, 8 writers, " + SHARED_STREAMS + " shared streams (expected any)",
                    8, 1, true, BaselineInsertCase.singleRowId(8), Target.ratioAtLeast(SINGLE_EVENT_TARGET)));
            figures.add(interleaved(context, baseline, "append.100events.distinct.w" + BaselineInsertCase.BATCH_CLIENTS,
                    "append 100 events, " + BaselineInsertCase.BATCH_CLIENTS + " writers, distinct streams",
                    BaselineInsertCase.BATCH_CLIENTS, BaselineInsertCase.BATCH_SIZE, false, BaselineInsertCase.batchId(),
                    Target.ratioAtLeast(BATCH_TARGET)));
        }
        return figures;
    }

    /** Baselines (JDBC, then pgbench) before the first round and after every round of the case. */
    private static Figure interleaved(BenchmarkContext context, BaselineInsertCase.Table baseline, String id, String title,
                                      int writers, int eventsPerAppend, boolean shared, String baselineId, Target target)
            throws Exception {
        int rounds = context.plan().rounds();
        List<Double> baselines = new ArrayList<>();
        List<Double> pgbench = new ArrayList<>();
        List<Double> throughputs = new ArrayList<>();
        List<Measurement> runs = new ArrayList<>();
        int pgbenchSeconds = (int) Math.max(1, context.plan().measure().toSeconds());
        for (int round = 0; round <= rounds; round++) {
            baselines.add(baseline.measure(writers, eventsPerAppend).eventsPerSecond());
            PgLimit.rate(context.pgLimitScript(), context.database(), writers, pgbenchSeconds, eventsPerAppend)
                    .ifPresent(pgbench::add);
            if (round < rounds) {
                Measurement m = measure(context, id + ".r" + round, writers, eventsPerAppend, shared);
                runs.add(m);
                throughputs.add(m.eventsPerSecond());
            }
        }
        Interleaving interleaving = Interleaving.of(throughputs, baselines, pgbench);
        return Figure.interleaved(id, "append", title, "events/s", "append", Measurement.pooled(runs), interleaving,
                baselineId, target, "pool of " + writers + " connections; " + rounds + " round" + (rounds == 1 ? "" : "s")
                        + " between baselines");
    }

    private static Measurement measure(BenchmarkContext context, String id, int writers, int eventsPerAppend,
                                       boolean shared) throws Exception {
        context.database().checkpoint();
        try (HikariDataSource pool = context.database().pool("append-" + writers, writers)) {
            PostgresEventStore store = new PostgresEventStore(pool);
            String prefix = "benchappend-" + context.runId() + "-" + id.replace('.', '_');
            return LoadDriver.run(writers, context.plan().warmup(), context.plan().measure(), index -> {
                if (shared) {
                    return () -> {
                        StreamId stream = StreamId.of(prefix + "-s" + ThreadLocalRandom.current().nextInt(SHARED_STREAMS));
                        store.append(stream, ExpectedVersion.ANY, EventShapes.batch(eventsPerAppend));
                        return eventsPerAppend;
                    };
                }
                StreamId stream = StreamId.of(prefix + "-w" + index);
                long[] version = {0};
                return () -> {
                    AppendResult result = store.append(stream, ExpectedVersion.exactly(version[0]),
                            EventShapes.batch(eventsPerAppend));
                    version[0] = result.lastVersion();
                    return eventsPerAppend;
                };
            });
        }
    }
}
