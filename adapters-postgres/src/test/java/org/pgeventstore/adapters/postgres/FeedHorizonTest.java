package org.pgeventstore.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.pgeventstore.application.eventstore.EventFilter;
import org.pgeventstore.application.eventstore.ExpectedVersion;
import org.pgeventstore.application.eventstore.NewEvent;
import org.pgeventstore.application.eventstore.StreamId;
import org.pgeventstore.application.feed.FeedStall;
import org.pgeventstore.application.feed.HorizonHolder;

/**
 * Every kind of transaction that holds the feed back is reported with the events it withholds:
 * a forgotten {@code BEGIN} in the service's database, one in another database of the same server,
 * and a prepared transaction. On a cluster of the test's own, since prepared transactions need
 * {@code max_prepared_transactions}, and a held horizon would stall other tests' feeds.
 */
class FeedHorizonTest {

    private static EmbeddedPostgres cluster;
    private static HikariDataSource pool;
    private static PostgresEventStore store;
    private static PostgresFeedHorizon horizon;

    @BeforeAll
    static void start() throws Exception {
        cluster = EmbeddedPostgres.builder().setServerConfig("max_prepared_transactions", "4").start();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(cluster.getJdbcUrl("postgres", "postgres"));
        config.setUsername("postgres");
        config.setMaximumPoolSize(4);
        pool = new HikariDataSource(config);
        Flyway.configure().dataSource(pool).locations("classpath:db/migration").load().migrate();
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE elsewhere");
        }
        try (Connection elsewhere = connect("elsewhere"); Statement statement = elsewhere.createStatement()) {
            statement.execute("CREATE TABLE scratch (n int)");
        }
        store = new PostgresEventStore(pool);
        horizon = new PostgresFeedHorizon(pool);
    }

    @AfterAll
    static void stop() throws Exception {
        pool.close();
        cluster.close();
    }

    private static Connection connect(String database) throws Exception {
        return DriverManager.getConnection(cluster.getJdbcUrl("postgres", database), "postgres", "");
    }

    /** Opens a transaction that takes a transaction id and stays open; returns the session's pid. */
    private static long holdTransaction(Connection connection) throws Exception {
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET application_name = 'forgotten-psql'");
            statement.execute("INSERT INTO scratch VALUES (1)");
            try (ResultSet pid = statement.executeQuery("SELECT pg_backend_pid()")) {
                pid.next();
                return pid.getLong(1);
            }
        }
    }

    private static void appendTwo(String stream) {
        store.append(StreamId.of(stream), ExpectedVersion.ANY, List.of(NewEvent.of("Held", "{}")));
        store.append(StreamId.of(stream), ExpectedVersion.ANY, List.of(NewEvent.of("Held", "{}")));
    }

    private static void assertClear() {
        assertThat(horizon.current()).isEqualTo(FeedStall.NONE);
    }

    @Test
    @DisplayName("a forgotten BEGIN in the service's own database: the events withheld, and the session that holds them")
    void sessionInThisDatabase() throws Exception {
        assertClear();
        try (Connection forgotten = connect("postgres")) {
            try (Statement statement = forgotten.createStatement()) {
                statement.execute("CREATE TABLE IF NOT EXISTS scratch (n int)");
            }
            long pid = holdTransaction(forgotten);
            appendTwo("held-here");
            assertThat(store.readAll(0, 100, EventFilter.category("held")).events()).as("the feed withholds them").isEmpty();

            FeedStall stall = horizon.current();
            assertThat(stall.withheldEvents()).isEqualTo(2);
            HorizonHolder holder = stall.holder().orElseThrow();
            assertThat(holder.kind()).isEqualTo("session");
            assertThat(holder.pid()).isEqualTo(pid);
            assertThat(holder.database()).isEqualTo("postgres");
            assertThat(holder.applicationName()).isEqualTo("forgotten-psql");
            assertThat(holder.state()).isEqualTo("idle in transaction");
            assertThat(holder.since()).isNotNull();
            assertThat(holder.remedy()).contains("pg_terminate_backend(" + pid + ")");
            forgotten.rollback();
        }
        assertClear();
        assertThat(store.readAll(0, 100, EventFilter.category("held")).events()).hasSize(2);
    }

    @Test
    @DisplayName("a forgotten BEGIN in another database of the same server holds the feed back too, and is named")
    void sessionInAnotherDatabase() throws Exception {
        assertClear();
        try (Connection elsewhere = connect("elsewhere")) {
            long pid = holdTransaction(elsewhere);
            appendTwo("heldelsewhere-1");
            FeedStall stall = horizon.current();
            assertThat(stall.withheldEvents()).isEqualTo(2);
            HorizonHolder holder = stall.holder().orElseThrow();
            assertThat(holder.pid()).isEqualTo(pid);
            assertThat(holder.database()).isEqualTo("elsewhere");
            elsewhere.rollback();
        }
        assertClear();
    }

    @Test
    @DisplayName("a prepared transaction, left neither committed nor rolled back, is named by its gid")
    void preparedTransaction() throws Exception {
        assertClear();
        try (Connection preparing = connect("elsewhere")) {
            holdTransaction(preparing);
            try (Statement statement = preparing.createStatement()) {
                statement.execute("PREPARE TRANSACTION 'stuck-transfer-1'");
            }
            preparing.setAutoCommit(true);
            appendTwo("heldprepared-1");
            FeedStall stall = horizon.current();
            assertThat(stall.withheldEvents()).isEqualTo(2);
            HorizonHolder holder = stall.holder().orElseThrow();
            assertThat(holder.kind()).isEqualTo("prepared");
            assertThat(holder.gid()).isEqualTo("stuck-transfer-1");
            assertThat(holder.database()).isEqualTo("elsewhere");
            assertThat(holder.remedy()).contains("ROLLBACK PREPARED 'stuck-transfer-1'");
            try (Statement statement = preparing.createStatement()) {
                statement.execute("ROLLBACK PREPARED 'stuck-transfer-1'");
            }
        }
        assertClear();
    }

    @Test
    @DisplayName("read-only sessions and the feed's own readers hold nothing back")
    void readersDoNotHold() throws Exception {
        try (Connection reader = connect("postgres")) {
            reader.setAutoCommit(false);
            try (Statement statement = reader.createStatement()) {
                statement.executeQuery("SELECT count(*) FROM events").close();
            }
            appendTwo("notheld-1");
            assertClear();
            reader.rollback();
        }
    }
}
