package org.pgeventstore.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.pgeventstore.adapters.http.ApiClient;
import org.pgeventstore.adapters.postgres.PostgresTestDatabase;
import org.pgeventstore.application.snapshot.SnapshotWriter;

/** With {@code eventstore.snapshots.enabled: false} no writer runs and every load replays, measured as such. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SnapshotsDisabledTest implements TestPropertyProvider {

    @Inject
    EmbeddedServer server;

    @Inject
    ApplicationContext context;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> properties = new HashMap<>(TestDatabaseProperties.of(PostgresTestDatabase.shared()));
        properties.put("eventstore.snapshots.enabled", "false");
        return properties;
    }

    @Test
    @DisplayName("no snapshot writer, orders still served, loads counted as snapshot=\"off\"")
    void disabled() {
        var api = new ApiClient(server.getURI());
        var placed = api.postJson("/api/orders", """
                {"customerId": "cust-off",
                 "lineItems": [{"productId": "p-1", "sku": "SKU-1", "name": "Widget", "quantity": 1, "unitPrice": 1.00}],
                 "shippingAddress": {"line1": "1 Main St", "city": "Springfield", "country": "US", "postalCode": "12345"}}
                """);
        assertThat(placed.status()).as(placed.body()).isEqualTo(201);

        var read = api.get("/api/orders/" + placed.json().get("id").asText());

        assertThat(read.status()).isEqualTo(200);
        assertThat(context.findBean(SnapshotWriter.class)).isEmpty();
        assertThat(api.get("/prometheus").body()).contains("eventstore_aggregate_load_seconds_count{category=\"order\",snapshot=\"off\"}")
                .doesNotContain("eventstore_snapshot_lookups_total");
    }
}
