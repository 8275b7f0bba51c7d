package org.pgeventstore.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.pgeventstore.application.eventstore.AppendResult;
import org.pgeventstore.application.eventstore.EventFilter;
import org.pgeventstore.application.eventstore.ExpectedVersion;
import org.pgeventstore.application.eventstore.FeedPage;
import org.pgeventstore.application.eventstore.NewEvent;
import org.pgeventstore.application.eventstore.RecordedEvent;
import org.pgeventstore.application.eventstore.StreamId;
import org.postgresql.PGConnection;

/**
 * Positions come from transaction ids, which belong to one cluster. Moved into another cluster
 * (a dump restored, a logical-replication cut-over), the log keeps its positions while the new
 * cluster's ids are lower. Two PostgreSQL clusters of the test's own: one dumped into the other,
 * table data copied as pg_dump and pg_restore do (COPY), into a schema the migrations made.
 */
class PositionsAfterRestoreTest {

    private static final List<EmbeddedPostgres> CLUSTERS = new ArrayList<>();
    private static final List<HikariDataSource> POOLS = new ArrayList<>();

    private static HikariDataSource newCluster() throws Exception {
        EmbeddedPostgres cluster = EmbeddedPostgres.builder().start();
        CLUSTERS.add(cluster);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(cluster.getJdbcUrl("postgres", "postgres"));
        config.setUsername("postgres");
        config.setMaximumPoolSize(8);
        HikariDataSource pool = new HikariDataSource(config);
        POOLS.add(pool);
        migrate(pool);
        return pool;
    }

    /** What the service does at every start. */
    private static void migrate(HikariDataSource pool) {
        Flyway.configure().dataSource(pool).locations("classpath:db/migration").load().migrate();
    }

    @AfterAll
    static void stopClusters() throws Exception {
        for (HikariDataSource pool : POOLS) {
            pool.close();
        }
        for (EmbeddedPostgres cluster : CLUSTERS) {
            cluster.close();
        }
    }

    /** Uses up transaction ids fast: every exception block with a write takes a subtransaction id. */
    private static void burnTransactionIds(HikariDataSource pool, int count) throws Exception {
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TEMP TABLE burn (n int)");
            statement.execute("""
                    DO $$ BEGIN
                        FOR i IN 1..%d LOOP
                            BEGIN INSERT INTO burn VALUES (i); EXCEPTION WHEN others THEN NULL; END;
                        END LOOP;
                    END $$""".formatted(count));
        }
    }

    /** Copies the events table's rows from one cluster into the other, as a dump and restore does. */
    private static void dumpEvents(HikariDataSource from, HikariDataSource to) throws Exception {
        var dump = new ByteArrayOutputStream();
        try (Connection source = from.getConnection()) {
            source.unwrap(PGConnection.class).getCopyAPI().copyOut("COPY events TO STDOUT (FORMAT binary)", dump);
        }
        try (Connection target = to.getConnection()) {
            target.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn("COPY events FROM STDIN (FORMAT binary)", new ByteArrayInputStream(dump.toByteArray()));
        }
    }

    private static List<RecordedEvent> readAfter(PostgresEventStore store, long after) {
        List<RecordedEvent> events = new ArrayList<>();
        while (true) {
            FeedPage page = store.readAll(after, 100, EventFilter.ALL);
            if (page.events().isEmpty()) {
                return events;
            }
            events.addAll(page.events());
            after = page.next();
        }
    }

    private static long maxPosition(HikariDataSource pool) throws Exception {
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT max(position) FROM events")) {
            row.next();
            return row.getLong(1);
        }
    }

    private static NewEvent event(int n) {
        return new NewEvent(UUID.randomUUID(), "Happened", "{\"n\": " + n + "}", "{}");
    }

    @Test
    @DisplayName("restored into a cluster with lower transaction ids and started there, the log hands a consumer's "
            + "checkpoint every new event, and a new stream is accepted")
    void restoreThenStart() throws Exception {
        HikariDataSource old = newCluster();
        burnTransactionIds(old, 30_000);
        var oldStore = new PostgresEventStore(old);
        for (int s = 1; s <= 3; s++) {
            for (int i = 1; i <= 4; i++) {
                oldStore.append(StreamId.of("restore-" + s), ExpectedVersion.ANY, List.of(event(i)));
            }
        }
        List<RecordedEvent> before = readAfter(oldStore, 0);
        assertThat(before).hasSize(12);
        long checkpoint = before.getLast().position();

        HikariDataSource restored = newCluster();
        dumpEvents(old, restored);
        migrate(restored);
        var store = new PostgresEventStore(restored);
        assertThat(readAfter(store, 0)).as("the restored log, in its order").containsExactlyElementsOf(before);

        List<Long> newPositions = new ArrayList<>();
        AppendResult created = store.append(StreamId.of("restore-new"), ExpectedVersion.NO_STREAM, List.of(event(1)));
        assertThat(created.firstVersion()).isEqualTo(1);
        newPositions.add(created.firstPosition());
        for (int s = 1; s <= 3; s++) {
            AppendResult appended = store.append(StreamId.of("restore-" + s), ExpectedVersion.exactly(4), List.of(event(5)));
            assertThat(appended.firstVersion()).isEqualTo(5);
            newPositions.add(appended.firstPosition());
        }
        List<RecordedEvent> seen = readAfter(store, checkpoint);
        assertThat(seen).extracting(RecordedEvent::position).containsExactlyElementsOf(newPositions);
        assertThat(readAfter(store, 0)).hasSize(16);
    }

    @Test
    @DisplayName("cut over to a cluster whose transaction ids overlap the stored positions, without a restart: "
            + "no false conflict for a new stream, every new position above every stored one")
    void cutOverWhileRunning() throws Exception {
        HikariDataSource old = newCluster();
        HikariDataSource target = newCluster();
        var oldStore = new PostgresEventStore(old);
        // Both clusters ran the same migrations, so their transaction ids are close: the new
        // cluster's next ids are ids of the stored events, and their positions would collide.
        for (int i = 1; i <= 60; i++) {
            oldStore.append(StreamId.of("cutover-" + i), ExpectedVersion.NO_STREAM, List.of(event(i)));
        }
        dumpEvents(old, target);
        long storedMax = maxPosition(target);
        var store = new PostgresEventStore(target);
        for (int i = 1; i <= 60; i++) {
            AppendResult appended = store.append(StreamId.of("cutover-new-" + i), ExpectedVersion.NO_STREAM, List.of(event(i)));
            assertThat(appended.firstVersion()).isEqualTo(1);
            assertThat(appended.firstPosition()).as("append %d", i).isGreaterThan(storedMax);
        }
        assertThat(readAfter(store, storedMax)).hasSize(60);
        assertThat(store.alignPositions()).as("aligned already").isFalse();
    }

    @Test
    @DisplayName("restored in place under a running instance whose sessions appended before: every new position "
            + "above every restored one, no false conflict")
    void restoreInPlaceUnderRunningSessions() throws Exception {
        HikariDataSource old = newCluster();
        burnTransactionIds(old, 30_000);
        var oldStore = new PostgresEventStore(old);
        for (int i = 1; i <= 5; i++) {
            oldStore.append(StreamId.of("inplace-" + i), ExpectedVersion.NO_STREAM, List.of(event(i)));
        }
        HikariDataSource target = newCluster();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(target.getJdbcUrl());
        config.setUsername("postgres");
        config.setMaximumPoolSize(1);
        try (HikariDataSource oneSession = new HikariDataSource(config)) {
            var store = new PostgresEventStore(oneSession);
            // The session checks the stored positions now, with the table as it is before the restore.
            store.append(StreamId.of("inplace-before"), ExpectedVersion.NO_STREAM, List.of(event(0)));

            try (Connection connection = target.getConnection(); Statement statement = connection.createStatement()) {
                statement.execute("ALTER TABLE events DISABLE TRIGGER events_no_truncate");
                statement.execute("TRUNCATE events");
                statement.execute("ALTER TABLE events ENABLE TRIGGER events_no_truncate");
            }
            dumpEvents(old, target);
            long restoredMax = maxPosition(target);

            AppendResult created = store.append(StreamId.of("inplace-new"), ExpectedVersion.NO_STREAM, List.of(event(1)));
            assertThat(created.firstPosition()).isGreaterThan(restoredMax);
            AppendResult appended = store.append(StreamId.of("inplace-1"), ExpectedVersion.exactly(1), List.of(event(2)));
            assertThat(appended.firstVersion()).isEqualTo(2);
            assertThat(appended.firstPosition()).isGreaterThan(created.firstPosition());
            assertThat(readAfter(store, restoredMax)).extracting(RecordedEvent::position)
                    .containsExactly(created.firstPosition(), appended.firstPosition());
        }
    }
}
