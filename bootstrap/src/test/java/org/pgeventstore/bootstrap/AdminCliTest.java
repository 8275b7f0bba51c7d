package org.pgeventstore.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.pgeventstore.adapters.http.ApiClient;
import org.pgeventstore.adapters.http.ApiJson;
import org.pgeventstore.adapters.postgres.PostgresApiKeys;
import org.pgeventstore.adapters.postgres.PostgresTestDatabase;
import org.pgeventstore.application.access.ApiKey;
import org.pgeventstore.application.access.ApiKeySecret;

/**
 * The admin command line, run in-process on the shared test PostgreSQL beside a running service
 * (which places the orders and runs the projection), with its stdout, stderr and exit status.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminCliTest implements TestPropertyProvider {

    @Inject
    EmbeddedServer server;

    @Inject
    ProjectionService projections;

    ApiClient api;
    String customer;

    record Run(int status, String out, String err) {
        JsonNode json() {
            return ApiJson.read(out.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Override
    public Map<String, String> getProperties() {
        return TestDatabaseProperties.of(PostgresTestDatabase.shared());
    }

    @BeforeEach
    void client() {
        api = new ApiClient(server.getURI());
        customer = "cli-" + UUID.randomUUID();
    }

    static Run admin(String... args) {
        return adminOn(new HashMap<>(TestDatabaseProperties.of(PostgresTestDatabase.shared())), args);
    }

    static Run adminOn(Map<String, Object> properties, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = AdminCli.run(args, properties, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(status, out.toString(), err.toString());
    }

    /** Places an order and waits until the service's projection has applied it; its id. */
    private String placeAndProject() {
        var placed = api.postJson("/api/orders", """
                {"customerId": "%s",
                 "lineItems": [{"productId": "p-1", "sku": "SKU-1", "name": "Widget", "quantity": 1, "unitPrice": 10.00}],
                 "shippingAddress": {"line1": "1 Main St", "city": "Springfield", "country": "US", "postalCode": "12345"}}
                """.formatted(customer));
        assertThat(placed.status()).as(placed.body()).isEqualTo(201);
        long position = placed.json().get("position").asLong();
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            while (projections.find("orders").orElseThrow().position() < position) {
                LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
            }
        });
        return placed.json().get("id").asText();
    }

    private static void execute(String sql) throws SQLException {
        try (Connection connection = PostgresTestDatabase.shared().dataSource().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static String liveOrderTable() throws SQLException {
        try (Connection connection = PostgresTestDatabase.shared().dataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(
                     "SELECT coalesce(read_model, 'order_projections_blue') FROM projection_positions WHERE name = 'orders'")) {
            assertThat(row.next()).isTrue();
            return row.getString(1);
        }
    }

    @Test
    @DisplayName("stats: the store's figures as text and as the JSON of GET /api/admin/stats, nothing else on stdout")
    void stats() {
        placeAndProject();
        Run text = admin("stats");
        assertThat(text.status()).as(text.err()).isZero();
        assertThat(text.out()).contains("CATEGORY").containsPattern("(?m)^order +\\d+ +\\d+");

        Run json = admin("stats", "--json");
        assertThat(json.status()).as(json.err()).isZero();
        JsonNode stats = json.json();
        assertThat(stats.get("events").asLong()).isPositive();
        assertThat(stats.get("categories")).anySatisfy(category -> {
            assertThat(category.get("category").asText()).isEqualTo("order");
            assertThat(category.get("events").asLong()).isPositive();
        });
        assertThat(stats.has("feed")).isTrue();
    }

    @Test
    @DisplayName("verify passes on a healthy store, fails naming the order whose row was altered, and rebuild repairs it")
    void verifyFindsADamagedRowAndRebuildRepairsIt() throws SQLException {
        String id = placeAndProject();
        Run healthy = admin("verify");
        assertThat(healthy.status()).as(healthy.out() + healthy.err()).isZero();
        assertThat(healthy.out()).contains("consistent").contains("projection orders:");

        execute("UPDATE " + liveOrderTable() + " SET status = 'shipped', total = 1.00 WHERE id = '" + id + "'");
        Run damaged = admin("verify");
        assertThat(damaged.status()).as(damaged.out()).isEqualTo(1);
        assertThat(damaged.err()).contains("inconsistent: projection orders: " + id);
        Run damagedJson = admin("verify", "--json");
        assertThat(damagedJson.status()).isEqualTo(1);
        assertThat(damagedJson.json().get("consistent").asBoolean()).isFalse();
        assertThat(damagedJson.json().at("/projections/orders/mismatches"))
                .anySatisfy(mismatch -> assertThat(mismatch.get("key").asText()).isEqualTo(id));

        Run rebuilt = admin("rebuild", "orders");
        assertThat(rebuilt.status()).as(rebuilt.err()).isZero();
        assertThat(rebuilt.out()).contains("rebuilt orders up to position");
        Run repaired = admin("verify");
        assertThat(repaired.status()).as(repaired.err()).isZero();
    }

    @Test
    @DisplayName("verify names a stream with a gap in its versions")
    void verifyFindsAGap() throws SQLException {
        String stream = "cligap-" + UUID.randomUUID();
        var appended = api.postJson("/api/streams/" + stream + "/events", """
                {"expectedVersion": "any", "events": [
                  {"eventId": "%s", "type": "Noted", "data": {"n": 1}},
                  {"eventId": "%s", "type": "Noted", "data": {"n": 2}},
                  {"eventId": "%s", "type": "Noted", "data": {"n": 3}}]}
                """.formatted(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID()));
        assertThat(appended.status()).as(appended.body()).isIn(200, 201);
        try (Connection connection = PostgresTestDatabase.shared().dataSource().getConnection();
             Statement statement = connection.createStatement()) {
            // The append-only triggers stop this on purpose; a session in replica mode fires no trigger.
            statement.execute("SET session_replication_role = replica");
            statement.execute("CREATE TEMP TABLE removed AS SELECT * FROM events WHERE stream_id = '" + stream
                    + "' AND version = 2");
            statement.execute("DELETE FROM events WHERE stream_id = '" + stream + "' AND version = 2");
            try {
                Run broken = admin("verify");
                assertThat(broken.status()).isEqualTo(1);
                assertThat(broken.err()).contains("stream " + stream + " is not numbered 1..2 without gaps");
            } finally {
                statement.execute("INSERT INTO events SELECT * FROM removed");
                statement.execute("SET session_replication_role = origin");
            }
        }
        assertThat(admin("verify").status()).isZero();
    }

    @Test
    @DisplayName("rebuild of an unknown projection, an unknown command, and a missing argument fail")
    void refusals() {
        Run unknown = admin("rebuild", "nope");
        assertThat(unknown.status()).isEqualTo(1);
        assertThat(unknown.err()).contains("no projection named nope");
        assertThat(admin("nope").status()).isEqualTo(2);
        assertThat(admin("keys").status()).isEqualTo(2);
        assertThat(admin("keys", "create", "--name", "x").status()).isEqualTo(2);
        Run help = admin("--help");
        assertThat(help.status()).isZero();
        assertThat(help.out()).contains("stats", "verify", "rebuild", "keys");
    }

    @Test
    @DisplayName("keys: a created key authenticates, is listed, and once revoked no longer authenticates")
    void keysRoundTrip() {
        PostgresApiKeys stored = new PostgresApiKeys(PostgresTestDatabase.shared().dataSource());
        String name = "cli-key-" + UUID.randomUUID().toString().substring(0, 8);
        Run created = admin("keys", "create", "--name", name, "--role", "read", "--role", "write", "--category", "order",
                "--json");
        assertThat(created.status()).as(created.err()).isZero();
        String secret = created.json().get("secret").asText();
        String id = created.json().get("id").asText();
        ApiKey key = stored.findBySecretHash(ApiKeySecret.hash(secret)).orElseThrow();
        assertThat(key.id().toString()).isEqualTo(id);
        assertThat(key.active()).isTrue();
        assertThat(key.name()).isEqualTo(name);
        assertThat(api.withToken(secret).get("/api/streams/order-" + UUID.randomUUID()).status()).isNotIn(401, 403);

        Run listed = admin("keys", "list");
        assertThat(listed.status()).isZero();
        assertThat(listed.out()).contains(id).contains(name).contains("roles=read,write").contains("categories=order");
        assertThat(listed.out()).doesNotContain(secret);
        assertThat(admin("keys", "list", "--json").json()).anySatisfy(one -> assertThat(one.get("id").asText()).isEqualTo(id));

        Run revoked = admin("keys", "revoke", id);
        assertThat(revoked.status()).as(revoked.err()).isZero();
        assertThat(stored.findBySecretHash(ApiKeySecret.hash(secret)).orElseThrow().active()).isFalse();
        Run again = admin("keys", "revoke", UUID.randomUUID().toString());
        assertThat(again.status()).isEqualTo(1);
        assertThat(again.err()).contains("no key has the id");
        Run bad = admin("keys", "create", "--name", name, "--role", "emperor");
        assertThat(bad.status()).isEqualTo(1);
        assertThat(bad.err()).contains("unknown role");
    }
}
