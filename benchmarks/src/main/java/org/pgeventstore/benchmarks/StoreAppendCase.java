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
 * writers, compared with the raw INSERT baseline at the same client count.
 * <ul>
 *   <li>Distinct streams: each writer appends to its own stream at the exact version it expects
 *       next, the path every command takes.</li>
 *   <li>Shared streams: every writer appends to one of 8 streams picked at random, with expected
 *       version {@code any}: writers to the same stream queue on its advisory lock.</li>
 * </ul>
 */
final class StoreAppendCase implements BenchmarkCase {

    static final int SHARED_STREAMS = 8;
    static final double SINGLE_EVENT_TARGET = 0.7;
    static final double BATCH_TARGET = 0.7;

    @Override
    public String name() {
        return "store appends through PostgresEventStore";
    }

    @Override
    public List<Figure> run(BenchmarkContext context) throws Exception {
        List<Figure> figures = new ArrayList<>();
        for (int writers : BaselineInsertCase.SINGLE_ROW_CLIENTS) {
            figures.add(measure(context, "append.1event.distinct.w" + writers,
                    "append 1 event, " + writers + " writer" + (writers == 1 ? "" : "s") + ", distinct streams",
                    writers, 1, false, context.baseline(BaselineInsertCase.singleRowId(writers)),
                    Target.ratioAtLeast(SINGLE_EVENT_TARGET)));
        }
        figures.add(measure(context, "append.1event.shared.w8",
                "append 1 event, 8 writers, " + SHARED_STREAMS + " shared streams (expected any)",
                8, 1, true, context.baseline(BaselineInsertCase.singleRowId(8)), Target.ratioAtLeast(SINGLE_EVENT_TARGET)));
        figures.add(measure(context, "append.100events.distinct.w" + BaselineInsertCase.BATCH_CLIENTS,
                "append 100 events, " + BaselineInsertCase.BATCH_CLIENTS + " writers, distinct streams",
                BaselineInsertCase.BATCH_CLIENTS, BaselineInsertCase.BATCH_SIZE, false,
                context.baseline(BaselineInsertCase.batchId()), Target.ratioAtLeast(BATCH_TARGET)));
        return figures;
    }

    private static Figure measure(BenchmarkContext context, String id, String title, int writers, int eventsPerAppend,
                                  boolean shared, Figure baseline, Target target) throws Exception {
        context.database().checkpoint();
        try (HikariDataSource pool = context.database().pool("append-" + writers, writers)) {
            PostgresEventStore store = new PostgresEventStore(pool);
            String prefix = "benchappend-" + context.runId() + "-" + id.replace('.', '_');
            Measurement m = LoadDriver.run(writers, context.plan().warmup(), context.plan().measure(), index -> {
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
            return Figure.measured(id, "append", title, "events/s", "append", m, baseline, target,
                    "pool of " + writers + " connections");
        }
    }
}
