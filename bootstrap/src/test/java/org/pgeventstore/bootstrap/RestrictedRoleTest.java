package org.pgeventstore.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.pgeventstore.adapters.http.ApiClient;
import org.pgeventstore.adapters.postgres.PostgresTestDatabase;

/**
 * The service runs with a database role that may insert and select events but not update or
 * delete them, set up as README.md describes: the schema owner runs the migrations, the
 * application role does the work.
 */
class RestrictedRoleTest {

    private static final String PASSWORD = "role-secret-1";

    private static void execute(Connection connection, String... statements) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private static String urlOf(String database) {
        return PostgresTestDatabase.shared().jdbcUrl().replaceFirst("(jdbc:postgresql://[^/]+/)[^?]*(\\?.*)?$", "$1" + database);
    }

    @Test
    @DisplayName("as an application role that can only insert and select events, the service appends and reads")
    void serviceRunsWithRestrictedRole() throws Exception {
        String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String owner = "es_owner_" + suffix;
        String app = "es_app_" + suffix;
        String database = "es_roles_" + suffix;
        PostgresTestDatabase server = PostgresTestDatabase.shared();
        try (Connection admin = server.dataSource().getConnection()) {
            execute(admin,
                    "CREATE ROLE " + owner + " LOGIN PASSWORD '" + PASSWORD + "'",
                    "CREATE ROLE " + app + " LOGIN PASSWORD '" + PASSWORD + "'",
                    "CREATE DATABASE " + database + " OWNER " + owner);
        }
        try {
            try (Connection asOwner = DriverManager.getConnection(urlOf(database), owner, PASSWORD)) {
                execute(asOwner, "ALTER DEFAULT PRIVILEGES FOR ROLE " + owner + " IN SCHEMA public "
                        + "GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO " + app,
                        "GRANT USAGE ON SCHEMA public TO " + app);
            }
            Map<String, Object> properties = new HashMap<>();
            properties.put("datasources.default.url", urlOf(database));
            properties.put("datasources.default.username", app);
            properties.put("datasources.default.password", PASSWORD);
            properties.put("flyway.datasources.default.url", urlOf(database));
            properties.put("flyway.datasources.default.user", owner);
            properties.put("flyway.datasources.default.password", PASSWORD);
            properties.put("micronaut.server.port", "-1");
            try (EmbeddedServer service = ApplicationContext.run(EmbeddedServer.class, properties)) {
                var api = new ApiClient(service.getURI());
                var created = api.postJson("/api/streams/roles-1/events",
                        "{\"events\": [{\"type\": \"Granted\", \"data\": {\"n\": 1}}]}");
                assertThat(created.status()).as(created.body()).isEqualTo(201);
                assertThat(api.get("/api/streams/roles-1").json().get("version").asLong()).isEqualTo(1);
            }
            try (Connection asApp = DriverManager.getConnection(urlOf(database), app, PASSWORD)) {
                for (String change : new String[] {"UPDATE events SET type = 'Changed'", "DELETE FROM events",
                        "TRUNCATE events"}) {
                    assertThatThrownBy(() -> execute(asApp, change)).as(change)
                            .isInstanceOfSatisfying(SQLException.class,
                                    denied -> assertThat(denied.getSQLState()).isEqualTo("42501"))
                            .hasMessageContaining("permission denied");
                }
            }
        } finally {
            try (Connection admin = server.dataSource().getConnection()) {
                execute(admin, "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)",
                        "DROP ROLE IF EXISTS " + app, "DROP ROLE IF EXISTS " + owner);
            }
        }
    }
}
