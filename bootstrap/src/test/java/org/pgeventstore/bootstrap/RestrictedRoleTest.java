package org.pgeventstore.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.pgeventstore.adapters.http.ApiClient;
import org.pgeventstore.adapters.postgres.PostgresTestDatabase;

/**
 * The service runs with a database role that may insert and select events but not update or
 * delete them, set up as docs/operations.md describes: the schema owner runs the migrations, the
 * application role does the work.
 */
class RestrictedRoleTest {

    private static final String PASSWORD = "role-secret-1";

    private final PostgresTestDatabase server = PostgresTestDatabase.shared();
    private final String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private final String owner = "es_owner_" + suffix;
    private final String app = "es_app_" + suffix;
    private final String database = "es_roles_" + suffix;

    private static void execute(Connection connection, String... statements) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private static List<String> strings(Connection connection, String query) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(query)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }

    private String url() {
        return server.urlOf(database);
    }

    /** The roles and database of docs/operations.md, "A database role that cannot rewrite history". */
    @BeforeEach
    void createRolesAndDatabase() throws SQLException {
        try (Connection admin = server.dataSource().getConnection()) {
            execute(admin,
                    "CREATE ROLE " + owner + " LOGIN PASSWORD '" + PASSWORD + "'",
                    "CREATE ROLE " + app + " LOGIN PASSWORD '" + PASSWORD + "'",
                    "CREATE DATABASE " + database + " OWNER " + owner);
        }
        try (Connection asOwner = DriverManager.getConnection(url(), owner, PASSWORD)) {
            execute(asOwner, "ALTER DEFAULT PRIVILEGES FOR ROLE " + owner + " IN SCHEMA public "
                    + "GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO " + app,
                    "GRANT USAGE ON SCHEMA public TO " + app);
        }
    }

    @AfterEach
    void dropRolesAndDatabase() throws SQLException {
        try (Connection admin = server.dataSource().getConnection()) {
            execute(admin, "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)",
                    "DROP ROLE IF EXISTS " + app, "DROP ROLE IF EXISTS " + owner);
        }
    }

    /** The service, migrating as the owner and working as the application role. */
    private EmbeddedServer service() {
        Map<String, Object> properties = new HashMap<>();
        properties.put("datasources.default.url", url());
        properties.put("datasources.default.username", app);
        properties.put("datasources.default.password", PASSWORD);
        properties.put("flyway.datasources.default.url", url());
        properties.put("flyway.datasources.default.user", owner);
        properties.put("flyway.datasources.default.password", PASSWORD);
        properties.put("micronaut.server.port", "-1");
        return ApplicationContext.run(EmbeddedServer.class, properties);
    }

    @Test
    @DisplayName("as an application role that can only insert and select events, the service appends and reads")
    void serviceRunsWithRestrictedRole() throws Exception {
        try (EmbeddedServer service = service()) {
            var api = new ApiClient(service.getURI());
            var created = api.postJson("/api/streams/roles-1/events",
                    "{\"events\": [{\"type\": \"Granted\", \"data\": {\"n\": 1}}]}");
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            assertThat(api.get("/api/streams/roles-1").json().get("version").asLong()).isEqualTo(1);

            // The consumer groups' tables (V9) are the application role's to change.
            var subscribed = api.putJson("/api/subscriptions/roles", "{\"category\": \"roles\", \"startFrom\": \"beginning\"}");
            assertThat(subscribed.status()).as(subscribed.body()).isEqualTo(201);
            var page = api.get("/api/subscriptions/roles/events");
            assertThat(page.json().get("events")).hasSize(1);
            assertThat(api.postJson("/api/subscriptions/roles/ack", "{\"position\": " + page.json().get("next").asLong() + "}")
                    .status()).isEqualTo(204);
            assertThat(api.get("/api/subscriptions/roles").json().get("lag").asLong()).isZero();
            assertThat(api.delete("/api/subscriptions/roles").status()).isEqualTo(204);
        }
        try (Connection asApp = DriverManager.getConnection(url(), app, PASSWORD)) {
            for (String change : new String[] {"UPDATE events SET type = 'Changed'", "DELETE FROM events",
                    "TRUNCATE events"}) {
                assertThatThrownBy(() -> execute(asApp, change)).as(change)
                        .isInstanceOfSatisfying(SQLException.class,
                                denied -> assertThat(denied.getSQLState()).isEqualTo("42501"))
                        .hasMessageContaining("permission denied");
            }
        }
    }

    /** The physical table that holds the live order read model. */
    private static String liveTable(Connection asOwner) throws SQLException {
        return strings(asOwner, "SELECT read_model FROM projection_positions WHERE name = 'orders'").getFirst();
    }

    /** Read model tables and their indexes, with what the application role may do to each. */
    private List<String> readModelSchema(Connection asOwner) throws SQLException {
        List<String> schema = new ArrayList<>(strings(asOwner, """
                SELECT indexname FROM pg_indexes WHERE tablename LIKE 'order_projections%' ORDER BY indexname"""));
        schema.addAll(strings(asOwner, """
                SELECT c.relname || ': ' || has_table_privilege('%s', c.oid, 'SELECT')
                       || has_table_privilege('%s', c.oid, 'INSERT') || has_table_privilege('%s', c.oid, 'UPDATE')
                       || has_table_privilege('%s', c.oid, 'DELETE')
                  FROM pg_class c
                 WHERE c.relname LIKE 'order_projections%%' AND c.relkind IN ('r', 'v') ORDER BY c.relname
                """.formatted(app, app, app, app)));
        return schema;
    }

    private static JsonNode order(ApiClient api, String customer, String id) {
        var page = api.get("/api/orders?customerId=" + customer);
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        for (JsonNode item : page.json().get("items")) {
            if (item.get("id").asText().equals(id)) {
                return item;
            }
        }
        throw new AssertionError("order " + id + " is not in the read model: " + page.body());
    }

    @Test
    @DisplayName("as the application role, a rebuild repairs a damaged read model, twice, keeping grants and index names")
    void rebuildWithRestrictedRole() throws Exception {
        String customer = "roles-" + suffix;
        try (EmbeddedServer service = service();
             Connection asOwner = DriverManager.getConnection(url(), owner, PASSWORD)) {
            var api = new ApiClient(service.getURI());
            List<String> ids = new ArrayList<>();
            long position = 0;
            for (int i = 0; i < 3; i++) {
                var placed = api.postJson("/api/orders", """
                        {"customerId": "%s",
                         "lineItems": [{"productId": "p-1", "sku": "SKU-1", "name": "Widget", "quantity": 1, "unitPrice": 10.00}],
                         "shippingAddress": {"line1": "1 Main St", "city": "Springfield", "country": "US", "postalCode": "12345"}}
                        """.formatted(customer));
                assertThat(placed.status()).as(placed.body()).isEqualTo(201);
                ids.add(placed.json().get("id").asText());
                position = placed.json().get("position").asLong();
            }
            var seen = api.get("/api/orders?customerId=" + customer + "&minPosition=" + position);
            assertThat(seen.json().get("items")).as(seen.body()).hasSize(3);
            List<String> schemaBefore = readModelSchema(asOwner);

            for (int round = 1; round <= 2; round++) {
                String damaged = ids.get(round);
                execute(asOwner, "UPDATE " + liveTable(asOwner) + " SET status = 'shipped', total = 1.00 WHERE id = '"
                        + damaged + "'");
                assertThat(order(api, customer, damaged).get("status").asText()).isEqualTo("shipped");

                var rebuild = api.postJson("/api/projections/orders/rebuild", "");
                assertThat(rebuild.status()).as(rebuild.body()).isEqualTo(202);
                Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
                while (!order(api, customer, damaged).get("status").asText().equals("placed")) {
                    assertThat(Instant.now()).as("rebuild %d repairs order %s (projection: %s)", round, damaged,
                            api.get("/api/projections/orders").body()).isBefore(deadline);
                    Thread.sleep(50);
                }
                assertThat(order(api, customer, damaged).get("total").decimalValue()).isEqualByComparingTo("15.00");
                // The live projection says running all along; the rebuild beside it has ended when it no longer runs.
                while (rebuildRuns(api.get("/api/projections/orders").json())) {
                    assertThat(Instant.now()).as("rebuild %d ends", round).isBefore(deadline);
                    Thread.sleep(50);
                }
                JsonNode ended = api.get("/api/projections/orders").json();
                assertThat(ended.get("rebuild").isNull()).as("rebuild %d succeeded: %s", round, ended).isTrue();
            }
            var report = api.postJson("/api/projections/orders/reconciliation", "");
            assertThat(report.json().get("consistent").asBoolean()).as(report.body()).isTrue();
            assertThat(readModelSchema(asOwner)).as("index names and the application role's privileges")
                    .isEqualTo(schemaBefore);
        }
    }

    private static boolean rebuildRuns(JsonNode projection) {
        return projection.get("rebuild").path("status").asText().equals("running");
    }

    @Test
    @DisplayName("as the application role, a rebuild that fails (a grant missing) shows failed with its error, the live "
            + "read model serving on; once the grant is back, the next rebuild succeeds")
    void failedRebuildIsShown() throws Exception {
        String customer = "roles-failed-" + suffix;
        try (EmbeddedServer service = service();
             Connection asOwner = DriverManager.getConnection(url(), owner, PASSWORD)) {
            var api = new ApiClient(service.getURI());
            var placed = api.postJson("/api/orders", """
                    {"customerId": "%s",
                     "lineItems": [{"productId": "p-1", "sku": "SKU-1", "name": "Widget", "quantity": 1, "unitPrice": 10.00}],
                     "shippingAddress": {"line1": "1 Main St", "city": "Springfield", "country": "US", "postalCode": "12345"}}
                    """.formatted(customer));
            assertThat(placed.status()).as(placed.body()).isEqualTo(201);
            String id = placed.json().get("id").asText();
            var seen = api.get("/api/orders?customerId=" + customer + "&minPosition=" + placed.json().get("position"));
            assertThat(seen.json().get("items")).as(seen.body()).hasSize(1);
            String other = liveTable(asOwner).endsWith("_blue") ? "order_projections_green" : "order_projections_blue";
            execute(asOwner, "REVOKE DELETE ON " + other + " FROM " + app);

            var rebuild = api.postJson("/api/projections/orders/rebuild", "");
            assertThat(rebuild.status()).as(rebuild.body()).isEqualTo(202);
            JsonNode failed = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
                while (true) {
                    JsonNode projection = api.get("/api/projections/orders").json();
                    if (!projection.get("rebuild").isNull() && projection.get("rebuild").get("status").asText().equals("failed")) {
                        return projection;
                    }
                    Thread.sleep(50);
                }
            }, "the failed rebuild shows as failed");
            assertThat(failed.get("rebuild").get("error").asText()).contains("permission denied", other);
            assertThat(failed.get("status").asText()).as("the live projection goes on").isEqualTo("running");
            assertThat(failed.get("runner").asText()).isEqualTo("this-instance");
            assertThat(order(api, customer, id).get("status").asText()).isEqualTo("placed");
            var next = api.postJson("/api/orders/" + id + "/payment", "{\"amount\": 15.00, \"method\": \"card\"}");
            assertThat(next.status()).as(next.body()).isEqualTo(200);
            var paid = api.get("/api/orders?customerId=" + customer + "&minPosition=" + next.json().get("position"));
            assertThat(paid.json().get("items").get(0).get("status").asText()).as(paid.body()).isEqualTo("paid");

            execute(asOwner, "GRANT DELETE ON " + other + " TO " + app);
            var retried = api.postJson("/api/projections/orders/rebuild", "");
            assertThat(retried.status()).as(retried.body()).isEqualTo(202);
            JsonNode replaced = retried.json().get("rebuild");
            assertThat(replaced.isNull() || replaced.get("status").asText().equals("running"))
                    .as("the answer shows the new rebuild, running or already done, not the failed one: %s", replaced)
                    .isTrue();
            JsonNode ended = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
                while (true) {
                    JsonNode projection = api.get("/api/projections/orders").json();
                    if (projection.get("status").asText().equals("running") && !rebuildRuns(projection)) {
                        return projection;
                    }
                    Thread.sleep(50);
                }
            }, "the retried rebuild ends");
            assertThat(ended.get("rebuild").isNull()).as("succeeded: %s", ended).isTrue();
            assertThat(liveTable(asOwner)).as("the rebuilt table is live").isEqualTo(other);
            assertThat(order(api, customer, id).get("status").asText()).isEqualTo("paid");
        }
    }
}
