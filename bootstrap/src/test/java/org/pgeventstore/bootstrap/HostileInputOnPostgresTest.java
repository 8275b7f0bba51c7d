package org.pgeventstore.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.pgeventstore.adapters.http.ApiClient;
import org.pgeventstore.adapters.http.HostileCorpus;
import org.pgeventstore.adapters.postgres.PostgresTestDatabase;
import org.pgeventstore.adapters.postgres.ScratchDatabase;

/**
 * The hostile corpus of the HTTP adapter's tests sent to the assembled service on PostgreSQL, so
 * that PostgreSQL's own refusals (text jsonb cannot hold) are exercised too: every request is a 4xx
 * problem+json, never a 500, and the events table holds exactly the rows it held before. On a
 * database of its own, so that the rows compared are only this test's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileInputOnPostgresTest {

    private ScratchDatabase database;
    private EmbeddedServer service;
    private ApiClient api;
    private String orderId;

    @BeforeAll
    void start() {
        database = ScratchDatabase.create("hostile");
        PostgresTestDatabase server = PostgresTestDatabase.shared();
        service = ApplicationContext.run(EmbeddedServer.class, Map.of(
                "datasources.default.url", database.jdbcUrl(),
                "datasources.default.username", server.username(),
                "datasources.default.password", server.password(),
                "micronaut.server.port", "-1"));
        api = new ApiClient(service.getURI());
        var placed = api.postJson("/api/orders", HostileCorpus.PLACE_ORDER);
        assertThat(placed.status()).as(placed.body()).isEqualTo(201);
        orderId = placed.json().get("id").asText();
        var appended = api.postJson("/api/streams/" + HostileCorpus.STREAM + "/events", HostileCorpus.FIRST_APPEND);
        assertThat(appended.status()).as(appended.body()).isEqualTo(201);
    }

    @AfterAll
    void stop() {
        try {
            if (service != null) {
                service.close();
            }
        } finally {
            database.close();
        }
    }

    /** Every stored event, read from the table (not through the feed, which may withhold some). */
    private List<String> storedEvents() throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection connection = database.dataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("""
                     SELECT position, stream_id, version, event_id, type, schema_version, data::text, metadata::text
                       FROM events ORDER BY position""")) {
            while (row.next()) {
                StringBuilder text = new StringBuilder();
                for (int column = 1; column <= 8; column++) {
                    text.append(column == 1 ? "" : " | ").append(row.getString(column));
                }
                rows.add(text.toString());
            }
        }
        return rows;
    }

    @Order(1)
    @ParameterizedTest(name = "{0} <- {1}")
    @MethodSource("org.pgeventstore.adapters.http.HostileCorpus#cases")
    @DisplayName("hostile bodies on every write route of an existing order and stream: 4xx problem+json, no row added")
    void hostileBodies(String route, HostileCorpus.Body body) throws SQLException {
        List<String> before = storedEvents();
        var reply = api.postBytes(HostileCorpus.route(route, orderId), body.contentType(), body.bytes());
        assertThat(reply.status()).as(reply.body()).isBetween(400, 499);
        assertThat(reply.contentType()).startsWith("application/problem+json");
        assertThat(storedEvents()).as("a hostile request must store nothing").isEqualTo(before);
    }

    @Order(2)
    @Test
    @DisplayName("after the corpus, the service still appends, places orders and reports itself healthy")
    void stillServing() {
        var appended = api.postJson("/api/streams/healthy-" + UUID.randomUUID() + "/events",
                "{\"events\": [{\"type\": \"Ok\", \"data\": {}}]}");
        assertThat(appended.status()).as(appended.body()).isEqualTo(201);
        var placed = api.postJson("/api/orders", HostileCorpus.PLACE_ORDER);
        assertThat(placed.status()).as(placed.body()).isEqualTo(201);
        assertThat(api.get("/health").json().get("status").asText()).isEqualTo("UP");
    }
}
