package org.pgeventstore.adapters.postgres;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * A database of its own on the test server, migrated, for a test whose events must not reach the
 * projections of other tests (they all read category {@code order} of the shared database from
 * position 0). Dropped on close.
 */
public final class ScratchDatabase implements AutoCloseable {

    private final PostgresTestDatabase server;
    private final String name;
    private final String jdbcUrl;
    private final HikariDataSource dataSource;

    private ScratchDatabase(PostgresTestDatabase server, String name) {
        this.server = server;
        this.name = name;
        this.jdbcUrl = server.urlOf(name);
        this.dataSource = server.newPool(jdbcUrl, 8);
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
    }

    /** A new migrated database named {@code <prefix>_<random>} on the shared test server. */
    public static ScratchDatabase create(String prefix) {
        PostgresTestDatabase server = PostgresTestDatabase.shared();
        String name = prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        execute(server.dataSource(), "CREATE DATABASE " + name);
        return new ScratchDatabase(server, name);
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** A new connection pool on this database. */
    public HikariDataSource newPool(int size) {
        return server.newPool(jdbcUrl, size);
    }

    public void execute(String sql) {
        execute(dataSource, sql);
    }

    private static void execute(DataSource dataSource, String sql) {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    @Override
    public void close() {
        dataSource.close();
        execute(server.dataSource(), "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }
}
