package org.pgeventstore.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.pgeventstore.adapters.http.ApiClient;
import org.pgeventstore.adapters.postgres.PostgresTestDatabase;
import org.pgeventstore.adapters.postgres.projection.PostgresProjectionLeases;
import org.pgeventstore.application.projection.ProjectionLease;

/** The order read model and the projection routes, over HTTP on a real PostgreSQL. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProjectionApiTest implements TestPropertyProvider {

    @Inject
    EmbeddedServer server;

    ApiClient api;
    String customer;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> properties = new HashMap<>(TestDatabaseProperties.of(PostgresTestDatabase.shared()));
        properties.put("eventstore.projections.read-your-writes-timeout", "300ms");
        return properties;
    }

    @BeforeEach
    void client() {
        api = new ApiClient(server.getURI());
        customer = "proj-" + UUID.randomUUID();
    }

    private JsonNode place(String customerId) {
        var placed = api.postJson("/api/orders", """
                {"customerId": "%s",
                 "lineItems": [{"productId": "p-1", "sku": "SKU-1", "name": "Widget", "quantity": 1, "unitPrice": 10.00}],
                 "shippingAddress": {"line1": "1 Main St", "city": "Springfield", "country": "US", "postalCode": "12345"}}
                """.formatted(customerId));
        assertThat(placed.status()).as(placed.body()).isEqualTo(201);
        return placed.json();
    }

    /** The order list; a 503 /read-model-behind is retried as its Retry-After says, for 10 s at most. */
    private JsonNode list(String query) {
        Instant deadline = Instant.now().plusSeconds(10);
        var reply = api.get("/api/orders?" + query);
        while (reply.status() == 503 && reply.body().contains("/read-model-behind") && Instant.now().isBefore(deadline)) {
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
            reply = api.get("/api/orders?" + query);
        }
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return reply.json();
    }


    @Nested
    @DisplayName("GET /api/orders")
    class OrderList {

        @Test
        @DisplayName("with minPosition, an order just placed is in the list: the command's view, read from the read model")
        void readYourWrites() {
            JsonNode placed = place(customer);
            JsonNode page = list("customerId=" + customer + "&minPosition=" + placed.get("position").asLong());
            assertThat(page.get("items")).hasSize(1);
            JsonNode item = page.get("items").get(0);
            for (String field : List.of("id", "orderNumber", "customerId", "status", "version", "position",
                    "lineItems", "shippingAddress")) {
                assertThat(item.get(field)).as(field).isEqualTo(placed.get(field));
            }
            assertThat(Instant.parse(item.get("placedAt").asText())).as("placedAt, kept to the microsecond")
                    .isEqualTo(Instant.parse(placed.get("placedAt").asText()).truncatedTo(ChronoUnit.MICROS));
            for (String amount : List.of("subtotal", "shippingCost", "total")) {
                assertThat(item.get(amount).decimalValue()).as(amount).isEqualByComparingTo(placed.get(amount).decimalValue());
            }
            assertThat(page.get("next").isNull()).isTrue();
        }

        @Test
        @DisplayName("pages newest first with an opaque cursor, next null on the last page; status filters")
        void pagingAndFilters() {
            List<String> ids = new ArrayList<>();
            long last = 0;
            for (int i = 0; i < 5; i++) {
                JsonNode order = place(customer);
                ids.add(order.get("id").asText());
                last = order.get("position").asLong();
            }
            var paid = api.postJson("/api/orders/" + ids.get(1) + "/payment", "{\"amount\": 15.00, \"method\": \"card\"}");
            assertThat(paid.status()).as(paid.body()).isEqualTo(200);
            last = paid.json().get("position").asLong();

            List<String> seen = new ArrayList<>();
            String after = "";
            int pages = 0;
            do {
                JsonNode page = list("customerId=" + customer + "&limit=2&minPosition=" + last + after);
                page.get("items").forEach(item -> seen.add(item.get("id").asText()));
                after = page.get("next").isNull() ? null : "&after=" + page.get("next").asText();
                pages++;
            } while (after != null);
            assertThat(pages).isEqualTo(3);
            assertThat(seen).as("newest first, each once").containsExactlyElementsOf(ids.reversed());

            JsonNode paidOnly = list("customerId=" + customer + "&status=paid");
            assertThat(paidOnly.get("items")).singleElement().satisfies(item -> {
                assertThat(item.get("id").asText()).isEqualTo(ids.get(1));
                assertThat(item.get("status").asText()).isEqualTo("paid");
                assertThat(item.get("paidAt").asText()).isNotBlank();
                assertThat(item.get("version").asLong()).isEqualTo(2);
            });
            assertThat(list("customerId=" + customer + "&status=shipped").get("items")).isEmpty();
            assertThat(list("customerId=" + customer + "&limit=1000000").get("items")).as("served as the max").hasSize(5);
        }

        @ParameterizedTest(name = "{0} -> 400")
        @CsvSource(delimiter = '|', value = {
                "status=lost", "limit=0", "limit=ten", "after=bm90LWEtY3Vyc29y", "after=***", "minPosition=-1",
                "minPosition=x"})
        @DisplayName("bad parameters are a 400 problem naming the parameter")
        void badParameters(String query) {
            var reply = api.get("/api/orders?" + query);
            reply.assertProblem(400, "/invalid-parameter");
            assertThat(reply.json().get("invalidParams").get(0).get("name").asText()).isEqualTo(query.split("=")[0]);
        }

        @Test
        @DisplayName("a minPosition the read model has not reached in time: 503 with Retry-After")
        void notCaughtUp() {
            var reply = api.get("/api/orders?minPosition=" + Long.MAX_VALUE);
            reply.assertProblem(503, "/read-model-behind");
            assertThat(reply.header("Retry-After")).isEqualTo("1");
        }
    }

    @Nested
    @DisplayName("operating the projections")
    class Operations {

        private JsonNode orders() {
            var reply = api.get("/api/projections/orders");
            assertThat(reply.status()).as(reply.body()).isEqualTo(200);
            return reply.json();
        }

        @Test
        @DisplayName("GET /api/projections lists the order projection with its position, lag and status")
        void listing() {
            long position = place(customer).get("position").asLong();
            assertThat(list("customerId=" + customer + "&minPosition=" + position).get("items")).hasSize(1);
            var reply = api.get("/api/projections");
            assertThat(reply.status()).as(reply.body()).isEqualTo(200);
            JsonNode projection = reply.json().get(0);
            assertThat(projection.get("name").asText()).isEqualTo("orders");
            assertThat(projection.get("position").asLong()).isGreaterThanOrEqualTo(position);
            assertThat(projection.get("lag").asLong()).isGreaterThanOrEqualTo(0);
            assertThat(projection.get("status").asText()).isEqualTo("running");
            assertThat(projection.has("lastError")).isTrue();
            api.get("/api/projections/nope").assertProblem(404, "/unknown-projection");
        }

        /** The physical table that holds the live order read model, and the other one, a rebuild's target. */
        private List<String> liveAndOtherTable() throws SQLException {
            try (Connection connection = PostgresTestDatabase.shared().dataSource().getConnection();
                 Statement statement = connection.createStatement();
                 ResultSet row = statement.executeQuery(
                         "SELECT coalesce(read_model, 'order_projections_blue') FROM projection_positions WHERE name = 'orders'")) {
                assertThat(row.next()).isTrue();
                String live = row.getString(1);
                return List.of(live, live.endsWith("_blue") ? "order_projections_green" : "order_projections_blue");
            }
        }

        private void execute(String sql) throws SQLException {
            try (Connection connection = PostgresTestDatabase.shared().dataSource().getConnection();
                 Statement statement = connection.createStatement()) {
                statement.execute(sql);
            }
        }

        private JsonNode onlyOrderOf(String customerId) {
            JsonNode items = list("customerId=" + customerId).get("items");
            assertThat(items).hasSize(1);
            return items.get(0);
        }

        /** Polls the projection until its status is running again, reading the order list meanwhile. */
        private JsonNode awaitRebuildEnded(String customerId) {
            return assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                while (true) {
                    JsonNode projection = orders();
                    // Right after the 202 the live projection may still say running beside a rebuild that runs.
                    boolean rebuildRuns = projection.get("rebuild").path("status").asText().equals("running");
                    if (projection.get("status").asText().equals("running") && !rebuildRuns) {
                        return projection;
                    }
                    assertThat(list("customerId=" + customerId).get("items")).as("reads during the rebuild").hasSize(1);
                    Thread.sleep(20);
                }
            }, "the rebuild ends within a minute");
        }

        @Test
        @DisplayName("a row damaged by hand: reconciliation names it, a rebuild (202) repairs it while reads go on, "
                + "and shows it succeeded")
        void rebuildRepairsADamagedRow() throws SQLException {
            JsonNode placed = place(customer);
            String id = placed.get("id").asText();
            list("customerId=" + customer + "&minPosition=" + placed.get("position").asLong());
            execute("UPDATE " + liveAndOtherTable().getFirst() + " SET status = 'shipped', total = 1.00 WHERE id = '"
                    + id + "'");
            assertThat(onlyOrderOf(customer).get("status").asText()).as("damaged").isEqualTo("shipped");

            var report = api.postJson("/api/projections/orders/reconciliation", "");
            assertThat(report.status()).as(report.body()).isEqualTo(200);
            assertThat(report.json().get("consistent").asBoolean()).as(report.body()).isFalse();
            assertThat(report.json().get("mismatches")).as(report.body())
                    .anySatisfy(mismatch -> assertThat(mismatch.get("orderId").asText()).isEqualTo(id));

            var rebuild = api.postJson("/api/projections/orders/rebuild", "");
            assertThat(rebuild.status()).as(rebuild.body()).isEqualTo(202);
            JsonNode ended = awaitRebuildEnded(customer);

            assertThat(ended.get("rebuild").isNull()).as("the rebuild succeeded: %s", ended).isTrue();
            assertThat(ended.get("lastError").isNull()).isTrue();
            JsonNode repaired = onlyOrderOf(customer);
            assertThat(repaired.get("status").asText()).isEqualTo("placed");
            assertThat(repaired.get("total").decimalValue()).isEqualByComparingTo(placed.get("total").decimalValue());
            long after = place(customer).get("position").asLong();
            assertThat(list("customerId=" + customer + "&minPosition=" + after).get("items")).hasSize(2);
            var again = api.postJson("/api/projections/orders/reconciliation", "");
            assertThat(again.json().get("consistent").asBoolean()).as(again.body()).isTrue();
            api.postJson("/api/projections/nope/rebuild", "").assertProblem(404, "/unknown-projection");
        }

        @Test
        @DisplayName("a rebuild asked for while one runs, here or in another instance: 409, and the running one goes on")
        void secondRebuildIsAConflict() throws Exception {
            long position = place(customer).get("position").asLong();
            list("customerId=" + customer + "&minPosition=" + position);
            String target = liveAndOtherTable().get(1);
            try (Connection blocker = PostgresTestDatabase.shared().dataSource().getConnection()) {
                // Holds the rebuild at its first step, emptying its table, for as long as this transaction lasts.
                blocker.setAutoCommit(false);
                try (Statement statement = blocker.createStatement()) {
                    statement.execute("LOCK TABLE " + target + " IN SHARE MODE");
                }
                var first = api.postJson("/api/projections/orders/rebuild", "");
                assertThat(first.status()).as(first.body()).isEqualTo(202);

                var second = api.postJson("/api/projections/orders/rebuild", "");
                second.assertProblem(409, "/rebuild-in-progress");
                JsonNode running = orders();
                assertThat(running.get("status").asText()).isEqualTo("rebuilding");
                assertThat(running.get("rebuild").get("status").asText()).isEqualTo("running");
                blocker.rollback();
            }
            assertThat(awaitRebuildEnded(customer).get("rebuild").isNull()).isTrue();

            // Another instance's rebuild holds the lease the same way.
            try (ProjectionLease elsewhere = new PostgresProjectionLeases(PostgresTestDatabase.shared().dataSource())
                    .tryAcquire("orders-rebuild").orElseThrow()) {
                api.postJson("/api/projections/orders/rebuild", "").assertProblem(409, "/rebuild-in-progress");
                assertThat(orders().get("status").asText()).as("nothing started here").isEqualTo("running");
            }
        }

        @Test
        @DisplayName("a rebuild requested while the one before lets go of its lease, its row already ended, waits for "
                + "it and starts")
        void rebuildRightAfterTheOneBefore() throws Exception {
            long position = place(customer).get("position").asLong();
            list("customerId=" + customer + "&minPosition=" + position);
            assertThat(orders().get("rebuild").isNull()).as("no rebuild runs").isTrue();
            ProjectionLease finishing = new PostgresProjectionLeases(PostgresTestDatabase.shared().dataSource())
                    .tryAcquire("orders-rebuild").orElseThrow();
            Thread releases = Thread.ofPlatform().start(() -> {
                LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
                finishing.close();
            });
            try {
                var started = api.postJson("/api/projections/orders/rebuild", "");
                assertThat(started.status()).as(started.body()).isEqualTo(202);
            } finally {
                releases.join();
            }
            assertThat(awaitRebuildEnded(customer).get("rebuild").isNull()).isTrue();
        }

        @Test
        @DisplayName("resume answers the projection; /prometheus publishes the projection metrics")
        void resumeAndMetrics() {
            var resumed = api.postJson("/api/projections/orders/resume", "");
            assertThat(resumed.status()).as(resumed.body()).isEqualTo(200);
            assertThat(resumed.json().get("status").asText()).isIn("running", "rebuilding");
            var metrics = api.get("/prometheus");
            assertThat(metrics.body()).contains("projection_lag_events", "projection_lag_seconds",
                    "projection_events_applied_total", "projection_failures_total");
        }
    }
}
