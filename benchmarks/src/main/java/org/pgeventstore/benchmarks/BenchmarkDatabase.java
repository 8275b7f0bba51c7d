package org.pgeventstore.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.postgresql.Driver;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL server every case of a run uses, baseline included: an embedded server in a
 * temporary directory (fsync and synchronous commit on, as the service runs it), or an existing
 * server given by JDBC URL. Migrated with the project's Flyway scripts before the run.
 */
final class BenchmarkDatabase implements AutoCloseable {

    private final String jdbcUrl;
    private final String user;
    private final String password;
    private final String description;
    private final EmbeddedPostgres embedded;
    private final Path embeddedDir;
    private boolean checkpointRefused;

    private BenchmarkDatabase(String jdbcUrl, String user, String password, String description,
                              EmbeddedPostgres embedded, Path embeddedDir) {
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
        this.description = description;
        this.embedded = embedded;
        this.embeddedDir = embeddedDir;
    }

    static BenchmarkDatabase embedded() throws IOException {
        Path dir = Files.createTempDirectory("pg-eventstore-bench-");
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(dir.resolve("data"))
                .setCleanDataDirectory(true)
                .setPGStartupWait(Duration.ofSeconds(60))
                // The library's defaults turn durability off; the figures are for a server that keeps data.
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on")
                .setServerConfig("listen_addresses", "localhost")
                .setServerConfig("max_connections", "200")
                .start();
        return new BenchmarkDatabase(postgres.getJdbcUrl("postgres", "postgres"), "postgres", "",
                "embedded PostgreSQL, temporary data directory", postgres, dir);
    }

    static BenchmarkDatabase external(String jdbcUrl, String user, String password) {
        return new BenchmarkDatabase(jdbcUrl, user, password, "existing PostgreSQL at " + jdbcUrl, null, null);
    }

    /** Flyway holds a connection for its lock and one for the callbacks beside the migration's own. */
    void migrate() {
        try (HikariDataSource pool = pool("migrate", 4)) {
            Flyway.configure().dataSource(pool).locations("classpath:db/migration").load().migrate();
        }
    }

    HikariDataSource pool(String name, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(size);
        config.setPoolName("bench-" + name);
        config.setConnectionTimeout(30_000);
        return new HikariDataSource(config);
    }

    /**
     * Vacuums and analyses the events table, as autovacuum would in time: rows just written are
     * then read without first setting their hint bits, whichever reader comes first.
     */
    static void settle(DataSource pool) throws SQLException {
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("VACUUM (ANALYZE) events");
        }
    }

    /**
     * Writes out every dirty buffer now, so that a measured write case does not share the disk
     * with a checkpoint that an earlier case's writes triggered. Needs a superuser (or the
     * pg_checkpoint role); without the right the run goes on and says so once.
     */
    void checkpoint() {
        if (checkpointRefused) {
            return;
        }
        try (HikariDataSource pool = pool("checkpoint", 1);
             Connection connection = pool.getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("CHECKPOINT");
        } catch (SQLException e) {
            checkpointRefused = true;
            LoggerFactory.getLogger(BenchmarkDatabase.class).warn(
                    "event=checkpoint_refused reason=\"{}\" effect=\"write cases may overlap a checkpoint\"", e.getMessage());
        }
    }

    /** The server's version and the settings that decide write throughput, as the server reports them. */
    Map<String, String> serverFacts() throws SQLException {
        Map<String, String> facts = new LinkedHashMap<>();
        try (HikariDataSource pool = pool("facts", 1);
             Connection connection = pool.getConnection();
             Statement statement = connection.createStatement()) {
            for (String setting : new String[] {"server_version", "fsync", "synchronous_commit", "full_page_writes",
                    "wal_level", "shared_buffers", "max_connections"}) {
                try (ResultSet rows = statement.executeQuery("SHOW " + setting)) {
                    rows.next();
                    facts.put(setting, rows.getString(1));
                }
            }
        }
        return facts;
    }

    /** Host, port and database name in libpq's terms, for pgbench. */
    Map<String, String> libpqEnvironment() {
        Properties parsed = Driver.parseURL(jdbcUrl, new Properties());
        Map<String, String> env = new LinkedHashMap<>();
        if (parsed == null) {
            return env;
        }
        env.put("PGHOST", parsed.getProperty("PGHOST", "localhost").split(",")[0]);
        env.put("PGPORT", parsed.getProperty("PGPORT", "5432").split(",")[0]);
        env.put("PGDATABASE", parsed.getProperty("PGDBNAME", "postgres"));
        env.put("PGUSER", user);
        if (password != null && !password.isEmpty()) {
            env.put("PGPASSWORD", password);
        }
        return env;
    }

    String jdbcUrl() {
        return jdbcUrl;
    }

    String user() {
        return user;
    }

    String password() {
        return password;
    }

    String description() {
        return description;
    }

    @Override
    public void close() throws IOException {
        if (embedded != null) {
            embedded.close();
            try (var files = Files.walk(embeddedDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }
}
