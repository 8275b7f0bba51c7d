package org.pgeventstore.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.sql.Connection;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.pgeventstore.adapters.http.ApiClient;
import org.pgeventstore.adapters.postgres.PostgresTestDatabase;

/**
 * With {@code datasources.default.url} set, the service uses that server, creates its
 * schema there on an empty database, and starts no embedded PostgreSQL.
 */
class ExternalDatabaseTest {

    @Test
    @DisplayName("an empty external database is migrated at startup and serves appends")
    void migratesEmptyDatabase() throws Exception {
        PostgresTestDatabase server = PostgresTestDatabase.shared();
        String database = "fresh_" + UUID.randomUUID().toString().replace("-", "");
        execute(server, "CREATE DATABASE " + database);
        try {
            Map<String, Object> properties = new HashMap<>(TestDatabaseProperties.of(server));
            properties.put("datasources.default.url", server.jdbcUrl().replaceFirst("(jdbc:postgresql://[^/]+/)[^?]*", "$1" + database));
            properties.put("micronaut.server.port", "-1");
            try (EmbeddedServer service = ApplicationContext.run(EmbeddedServer.class, properties)) {
                assertThat(service.getApplicationContext().containsBean(EmbeddedPostgresServer.class)).isFalse();
                var reply = new ApiClient(service.getURI()).postJson("/api/streams/fresh-1/events",
                        "{\"events\": [{\"type\": \"First\", \"data\": {}}]}");
                assertThat(reply.status()).as(reply.body()).isEqualTo(201);
                assertThat(reply.json().get("firstVersion").asLong()).isEqualTo(1);
            }
        } finally {
            execute(server, "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    private static void execute(PostgresTestDatabase server, String sql) throws Exception {
        try (Connection connection = server.dataSource().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
