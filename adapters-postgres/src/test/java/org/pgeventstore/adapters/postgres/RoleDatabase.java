package org.pgeventstore.adapters.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A database of its own, with an owner role and an application role, on the test server: for
 * tests of privileges and migrations, which need a schema nobody else has touched. Dropped with
 * its roles on {@link #close()}.
 */
public final class RoleDatabase implements AutoCloseable {

    public static final String PASSWORD = "roles-secret-1";

    private final PostgresTestDatabase server = PostgresTestDatabase.shared();
    private final String name;
    private final String owner;
    private final String app;

    public RoleDatabase() throws SQLException {
        String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        name = "es_roles_" + suffix;
        owner = "es_owner_" + suffix;
        app = "es_app_" + suffix;
        try (Connection admin = server.dataSource().getConnection()) {
            execute(admin,
                    "CREATE ROLE " + owner + " LOGIN PASSWORD '" + PASSWORD + "'",
                    "CREATE ROLE " + app + " LOGIN PASSWORD '" + PASSWORD + "'",
                    "CREATE DATABASE " + name + " OWNER " + owner);
        }
    }

    public static void execute(Connection connection, String... statements) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    public String url() {
        return server.jdbcUrl().replaceFirst("(jdbc:postgresql://[^/]+/)[^?]*(\\?.*)?$", "$1" + name);
    }

    public String owner() {
        return owner;
    }

    public String app() {
        return app;
    }

    public Connection connectAs(String role) throws SQLException {
        return DriverManager.getConnection(url(), role, PASSWORD);
    }

    public HikariDataSource poolAs(String role, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url());
        config.setUsername(role);
        config.setPassword(PASSWORD);
        config.setMaximumPoolSize(size);
        config.setPoolName("roles-" + role);
        return new HikariDataSource(config);
    }

    @Override
    public void close() throws SQLException {
        try (Connection admin = server.dataSource().getConnection()) {
            execute(admin, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)",
                    "DROP ROLE IF EXISTS " + app, "DROP ROLE IF EXISTS " + owner);
        }
    }
}
