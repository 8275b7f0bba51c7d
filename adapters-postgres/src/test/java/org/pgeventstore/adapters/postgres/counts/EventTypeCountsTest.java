package org.pgeventstore.adapters.postgres.counts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.pgeventstore.adapters.postgres.PostgresEventStore;
import org.pgeventstore.adapters.postgres.PostgresTestDatabase;
import org.pgeventstore.adapters.postgres.projection.PostgresProjection;
import org.pgeventstore.adapters.postgres.projection.PostgresProjectionCheckpoints;
import org.pgeventstore.adapters.postgres.projection.ReadModelTables;
import org.pgeventstore.adapters.postgres.projection.ReadModelWriter;
import org.pgeventstore.application.eventstore.EventStore;
import org.pgeventstore.application.eventstore.ExpectedVersion;
import org.pgeventstore.application.eventstore.FeedPage;
import org.pgeventstore.application.eventstore.NewEvent;
import org.pgeventstore.application.eventstore.RecordedEvent;
import org.pgeventstore.application.eventstore.StreamId;
import org.pgeventstore.application.projection.ProjectionLeases;
import org.pgeventstore.application.projection.ProjectionRunner;
import org.pgeventstore.application.projection.ProjectionSettings;
import org.pgeventstore.application.feed.AppendSignal;

/**
 * A second read model, written in this test only: how many events of each type a category holds.
 * It is a {@link ReadModelWriter} and two tables, nothing else; the generic checkpoint, runner and
 * rebuild run it on real PostgreSQL unchanged, with the order read model's guarantees: a batch that
 * fails before its commit leaves neither rows nor checkpoint behind, and a rebuild repairs a
 * damaged table.
 */
class EventTypeCountsTest {

    private final PostgresTestDatabase database = PostgresTestDatabase.shared();
    private final String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private final String category = "tally" + suffix;
    private final String name = "test-counts-" + suffix;
    private final String base = "event_counts_t" + suffix;
    private final EventStore store = new PostgresEventStore(database.dataSource());
    private HikariDataSource pool;
    private PostgresProjection projection;

    /** One row per event type: {@code (type, events)}. */
    static final class EventTypeCounts implements ReadModelWriter {

        @Override
        public Batch load(Connection connection, String table, List<RecordedEvent> events) throws SQLException {
            Map<String, Long> loaded = new HashMap<>();
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT type, events FROM " + table + " WHERE type = ANY (?)")) {
                statement.setArray(1, connection.createArrayOf("text",
                        events.stream().map(RecordedEvent::type).distinct().toArray()));
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        loaded.put(rows.getString(1), rows.getLong(2));
                    }
                }
            }
            Map<String, Long> added = new HashMap<>();
            return new Batch() {
                @Override
                public boolean apply(RecordedEvent event) {
                    added.merge(event.type(), 1L, Long::sum);
                    return true;
                }

                @Override
                public void skip(RecordedEvent event) {
                    // A skipped event is not counted.
                }

                @Override
                public void write(Connection connection) throws SQLException {
                    try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO " + table
                            + " (type, events) VALUES (?, ?) ON CONFLICT (type) DO UPDATE SET events = EXCLUDED.events")) {
                        for (Map.Entry<String, Long> entry : added.entrySet()) {
                            upsert.setString(1, entry.getKey());
                            upsert.setLong(2, loaded.getOrDefault(entry.getKey(), 0L) + entry.getValue());
                            upsert.addBatch();
                        }
                        upsert.executeBatch();
                    }
                }
            };
        }

        @Override
        public void moveRowPast(Connection connection, String table, String streamId, long version) {
            // Counts keep no per-stream version.
        }
    }

    @BeforeEach
    void setUp() throws SQLException {
        pool = database.newPool(3);
        execute("CREATE TABLE " + base + "_blue (type text PRIMARY KEY, events bigint NOT NULL)",
                "CREATE TABLE " + base + "_green (LIKE " + base + "_blue INCLUDING ALL)");
        projection = new PostgresProjection(name, category, new ReadModelTables(base, name), new EventTypeCounts());
    }

    @AfterEach
    void tearDown() throws SQLException {
        pool.close();
        execute("DROP TABLE IF EXISTS " + base + "_blue", "DROP TABLE IF EXISTS " + base + "_green",
                "DELETE FROM projection_parked_events WHERE projection LIKE '" + name + "%'",
                "DELETE FROM projection_positions WHERE name LIKE '" + name + "%'");
    }

    private void execute(String... statements) throws SQLException {
        try (Connection connection = database.dataSource().getConnection(); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private void append(int streams) {
        for (int i = 0; i < streams; i++) {
            List<NewEvent> events = new ArrayList<>();
            events.add(NewEvent.of("Opened", "{}"));
            for (int note = 0; note <= i % 3; note++) {
                events.add(NewEvent.of("Noted", "{\"note\": " + note + "}"));
            }
            store.append(StreamId.of(category + "-" + UUID.randomUUID()), ExpectedVersion.NO_STREAM, events);
        }
    }

    private ProjectionRunner runner(PostgresProjectionCheckpoints checkpoints) {
        return new ProjectionRunner(checkpoints, new PostgresEventStore(pool), projection.filter(),
                ProjectionSettings.DEFAULT.withBatchSize(7), ProjectionLeases.UNCONTENDED, new AppendSignal());
    }

    /** The counts the live table holds. */
    private Map<String, Long> counted() throws SQLException {
        Map<String, Long> counts = new TreeMap<>();
        String sql = new ReadModelTables(base, name).overLive("SELECT type, events FROM %1$s WHERE %2$s");
        try (Connection connection = database.dataSource().getConnection(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                counts.put(rows.getString(1), rows.getLong(2));
            }
        }
        return counts;
    }

    /** The counts the event store says, read from the feed. */
    private Map<String, Long> expected() {
        Map<String, Long> counts = new TreeMap<>();
        long after = 0;
        while (true) {
            FeedPage page = store.readAll(after, 500, projection.filter());
            page.events().forEach(event -> counts.merge(event.type(), 1L, Long::sum));
            if (page.events().isEmpty()) {
                return counts;
            }
            after = page.next();
        }
    }

    @Test
    @DisplayName("the generic runner projects a read model of a test's own, each event counted once")
    void countsEachEventOnce() throws SQLException {
        append(12);
        PostgresProjectionCheckpoints checkpoints = projection.checkpoints(pool);

        assertThat(runner(checkpoints).catchUp()).isEqualTo(12 + 24);
        append(4);
        runner(checkpoints).catchUp();

        assertThat(counted()).isEqualTo(expected()).containsEntry("Opened", 16L);
        assertThat(runner(checkpoints).catchUp()).as("nothing left to apply").isZero();
        assertThat(counted()).isEqualTo(expected());
    }

    @Test
    @DisplayName("a batch that fails before its commit leaves neither its rows nor the checkpoint")
    void failedBatchLeavesNothing() throws SQLException {
        append(5);
        FeedPage first = store.readAll(0, 6, projection.filter());
        PostgresProjectionCheckpoints crashing = new PostgresProjectionCheckpoints(pool, name, name, projection.tables(),
                projection.writer(), connection -> {
                    throw new SQLException("the connection died before the commit");
                });

        assertThatThrownBy(() -> crashing.apply(0, first.events(), first.next())).isInstanceOf(RuntimeException.class);
        assertThat(counted()).isEmpty();
        assertThat(crashing.state().position()).isZero();

        runner(projection.checkpoints(pool)).catchUp();
        assertThat(counted()).isEqualTo(expected());
    }

    @Test
    @DisplayName("the generic rebuild repairs the read model in its other table and swaps it in")
    void rebuildRepairs() throws SQLException {
        append(9);
        runner(projection.checkpoints(pool)).catchUp();
        execute("UPDATE " + base + "_blue SET events = events + 100 WHERE type = 'Noted'");
        assertThat(counted()).isNotEqualTo(expected());

        long applied = projection.rebuild(pool, new PostgresEventStore(pool), ProjectionSettings.DEFAULT.withBatchSize(5))
                .run();

        assertThat(applied).isEqualTo(expected().values().stream().mapToLong(Long::longValue).sum());
        assertThat(counted()).isEqualTo(expected());
        assertThat(liveTable()).isEqualTo(base + "_green");
        append(2);
        runner(projection.checkpoints(pool)).catchUp();
        assertThat(counted()).as("the live runner goes on in the rebuilt table").isEqualTo(expected());
    }

    private String liveTable() throws SQLException {
        DataSource dataSource = database.dataSource();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT read_model FROM projection_positions WHERE name = ?")) {
            statement.setString(1, name);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getString(1);
            }
        }
    }
}
