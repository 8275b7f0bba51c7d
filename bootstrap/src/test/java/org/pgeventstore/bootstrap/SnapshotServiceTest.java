package org.pgeventstore.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.pgeventstore.adapters.http.ApiClient;
import org.pgeventstore.adapters.postgres.PostgresSnapshotStore;
import org.pgeventstore.adapters.postgres.PostgresTestDatabase;
import org.pgeventstore.application.eventstore.EventStore;
import org.pgeventstore.application.order.OrderEventRegistry;
import org.pgeventstore.application.order.OrderQueries;
import org.pgeventstore.application.order.OrderSnapshotCodec;
import org.pgeventstore.application.order.OrderStreams;
import org.pgeventstore.application.snapshot.Snapshot;
import org.pgeventstore.application.snapshot.SnapshotStore;
import org.pgeventstore.application.snapshot.SnapshotWriter;
import org.pgeventstore.domain.order.OrderId;

/** Snapshots and the statistics in the assembled service on PostgreSQL, snapshotting every 10 events. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SnapshotServiceTest implements TestPropertyProvider {

    private static final String PLACE = """
            {"customerId": "cust-snap",
             "lineItems": [{"productId": "p-1", "sku": "SKU-1", "name": "Widget", "quantity": 1, "unitPrice": 1.00}],
             "shippingAddress": {"line1": "1 Main St", "city": "Springfield", "country": "US", "postalCode": "12345"}}
            """;
    private static final String ITEM = """
            {"productId": "p-2", "sku": "SKU-2", "name": "Gadget", "quantity": 1, "unitPrice": 0.50}
            """;

    @Inject
    EmbeddedServer server;

    @Inject
    SnapshotStore snapshots;

    @Inject
    SnapshotWriter writer;

    @Inject
    EventStore events;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> properties = new HashMap<>(TestDatabaseProperties.of(PostgresTestDatabase.shared()));
        properties.put("eventstore.snapshots.categories.order.every-n", "10");
        return properties;
    }

    @Test
    @DisplayName("commands over HTTP leave snapshots in PostgreSQL, and the order read from them equals a full replay")
    void ordersAreSnapshotted() {
        var api = new ApiClient(server.getURI());
        var placed = api.postJson("/api/orders", PLACE);
        assertThat(placed.status()).as(placed.body()).isEqualTo(201);
        String id = placed.json().get("id").asText();
        for (int i = 0; i < 24; i++) {
            var added = api.postJson("/api/orders/" + id + "/items", ITEM);
            assertThat(added.status()).as(added.body()).isEqualTo(200);
            assertThat(writer.awaitIdle(Duration.ofSeconds(10))).isTrue();
        }

        assertThat(snapshots).isInstanceOf(PostgresSnapshotStore.class);
        Optional<Snapshot> latest = snapshots.latest(OrderStreams.streamOf(OrderId.of(id)), OrderSnapshotCodec.SCHEMA_VERSION,
                Long.MAX_VALUE);
        assertThat(latest).get().extracting(Snapshot::version).isEqualTo(20L);
        JsonNode view = api.get("/api/orders/" + id).json();
        assertThat(view.get("version").asLong()).isEqualTo(25);
        assertThat(view.get("lineItems")).hasSize(25);
        assertThat(view.get("subtotal").decimalValue()).isEqualByComparingTo("13.00");
        var replayed = new OrderQueries(events, new OrderEventRegistry()).current(OrderId.of(id));
        assertThat(view.get("position").asLong()).isEqualTo(replayed.position());
        assertThat(api.get("/api/orders/" + id + "?version=15").json().get("lineItems")).hasSize(15);

        String metrics = api.get("/prometheus").body();
        assertThat(metrics).contains("eventstore_aggregate_load_seconds_bucket", "eventstore_aggregate_load_replayed_events",
                "eventstore_snapshot_lookups_total{category=\"order\",outcome=\"hit\"}", "eventstore_snapshot_written_total",
                "eventstore_snapshot_queue");
    }

    @Test
    @DisplayName("GET /api/admin/stats counts the order streams and their snapshots, and is in the OpenAPI document")
    void stats() {
        var api = new ApiClient(server.getURI());
        var placed = api.postJson("/api/orders", PLACE);
        assertThat(placed.status()).isEqualTo(201);

        var reply = api.get("/api/admin/stats");

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        JsonNode stats = reply.json();
        assertThat(stats.get("events").asLong()).isPositive();
        assertThat(stats.get("streams").asLong()).isPositive();
        assertThat(stats.get("eventsByType").get("OrderPlaced").asLong()).isPositive();
        assertThat(stats.get("largestStreams").size()).isBetween(1, 10);
        assertThat(stats.get("snapshots").has("coverage")).isTrue();
        boolean order = false;
        for (JsonNode category : stats.get("categories")) {
            order |= category.get("category").asText().equals("order") && category.get("streams").asLong() > 0;
        }
        assertThat(order).as(stats.toString()).isTrue();
        assertThat(api.get("/swagger/pg-eventstore-0.1.yml").body()).contains("/api/admin/stats:", "StoreStats");
    }
}
