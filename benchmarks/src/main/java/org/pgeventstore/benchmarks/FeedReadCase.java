package org.pgeventstore.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.pgeventstore.adapters.postgres.PostgresEventStore;
import org.pgeventstore.application.eventstore.EventFilter;
import org.pgeventstore.application.eventstore.ExpectedVersion;
import org.pgeventstore.application.eventstore.StreamId;
import org.pgeventstore.application.eventstore.FeedPage;

/**
 * One reader paging through the global feed from position 0 with {@link PostgresEventStore#readAll}
 * (pages of {@value #PAGE} events, the API's largest page), starting again from 0 at the head.
 * The table holds every event the earlier cases appended. The baseline pages through the same
 * rows with a plain {@code position > ? ORDER BY position LIMIT} query, without the feed's
 * visibility bound.
 */
final class FeedReadCase implements BenchmarkCase {

    static final String ID = "feed.read.from-0";
    static final String RAW_ID = "baseline.read.feed";
    static final int PAGE = 1_000;
    static final Target TARGET = Target.throughputAtLeast(200_000);

    private static final String RAW_PAGE = """
            SELECT event_id, stream_id, type, version, position, data::text, metadata::text, occurred_at
              FROM events
             WHERE position > ?
             ORDER BY position
             LIMIT ?
            """;

    @Override
    public String name() {
        return "global feed read from position 0";
    }

    @Override
    public List<Figure> run(BenchmarkContext context) throws Exception {
        RunPlan plan = context.plan();
        try (HikariDataSource pool = context.database().pool("feed", 1)) {
            PostgresEventStore store = new PostgresEventStore(pool);
            long appended = fillUpTo(store, pool, plan.isQuick() ? 100_000 : 500_000);
            BenchmarkDatabase.settle(pool);
            Measurement raw = LoadDriver.run(1, plan.warmup(), plan.measure(), index -> {
                long[] after = {0};
                return () -> {
                    long rows = 0;
                    long last = after[0];
                    try (Connection connection = pool.getConnection();
                         PreparedStatement statement = connection.prepareStatement(RAW_PAGE)) {
                        statement.setLong(1, after[0]);
                        statement.setInt(2, PAGE);
                        try (ResultSet result = statement.executeQuery()) {
                            while (result.next()) {
                                result.getObject(1, UUID.class);
                                result.getString(2);
                                result.getString(3);
                                result.getLong(4);
                                last = result.getLong(5);
                                result.getString(6);
                                result.getString(7);
                                result.getObject(8, OffsetDateTime.class);
                                rows++;
                            }
                        }
                    }
                    after[0] = rows < PAGE ? 0 : last;
                    return rows;
                };
            });
            Figure rawFigure = Figure.measured(RAW_ID, "baseline", "raw paged SELECT of the events table in position order",
                    "events/s", "page of " + PAGE, raw, null, null, null);
            Measurement feed = LoadDriver.run(1, plan.warmup(), plan.measure(), index -> {
                long[] after = {0};
                return () -> {
                    FeedPage page = store.readAll(after[0], PAGE, EventFilter.ALL);
                    after[0] = page.events().size() < PAGE ? 0 : page.next();
                    return page.events().size();
                };
            });
            long total = countEvents(pool);
            return List.of(rawFigure, Figure.measured(ID, "feed", "global feed read from position 0, 1 reader",
                    "events/s", "page of " + PAGE, feed, rawFigure, TARGET,
                    "pages of " + PAGE + " over " + Numbers.count(total) + " events"
                            + (appended > 0 ? " (" + Numbers.count(appended) + " appended for this case)" : "")));
        }
    }

    /** Appends events (100 per append) until the table holds {@code minimum}, so the feed is never read over a tiny table. */
    private static long fillUpTo(PostgresEventStore store, HikariDataSource pool, long minimum) throws Exception {
        long missing = minimum - countEvents(pool);
        long appended = 0;
        StreamId stream = StreamId.of("benchfeed-" + UUID.randomUUID());
        while (appended < missing) {
            store.append(stream, ExpectedVersion.ANY, EventShapes.batch(100));
            appended += 100;
        }
        return appended;
    }

    private static long countEvents(HikariDataSource pool) throws Exception {
        try (Connection connection = pool.getConnection();
             PreparedStatement statement = connection.prepareStatement("SELECT count(*) FROM events");
             ResultSet rows = statement.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
