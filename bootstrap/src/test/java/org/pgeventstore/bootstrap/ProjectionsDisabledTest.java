package org.pgeventstore.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.pgeventstore.adapters.http.ApiClient;
import org.pgeventstore.adapters.postgres.PostgresTestDatabase;
import org.pgeventstore.adapters.postgres.ScratchDatabase;

/** {@code eventstore.projections.enabled=false}: the instance serves, runs no projection, and says so. */
class ProjectionsDisabledTest {

    private static Map<String, Object> properties(ScratchDatabase database, boolean projections) {
        var server = PostgresTestDatabase.shared();
        Map<String, Object> properties = new HashMap<>();
        properties.put("datasources.default.url", database.jdbcUrl());
        properties.put("datasources.default.username", server.username());
        properties.put("datasources.default.password", server.password());
        properties.put("micronaut.server.port", "-1");
        properties.put("eventstore.projections.enabled", Boolean.toString(projections));
        properties.put("eventstore.projections.read-your-writes-timeout", "300ms");
        return properties;
    }

    private static JsonNode orders(ApiClient api) {
        var reply = api.get("/api/projections/orders");
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return reply.json();
    }

    @Test
    @DisplayName("disabled, an instance takes commands but projects nothing, and the API says no instance runs the "
            + "projection; once one that runs it starts, the API says another instance does")
    void disabledInstanceRunsNoProjection() {
        try (var database = ScratchDatabase.create("projections_off");
             EmbeddedServer reader = ApplicationContext.run(EmbeddedServer.class, properties(database, false))) {
            ApiClient api = new ApiClient(reader.getURI());
            var placed = api.postJson("/api/orders", """
                    {"customerId": "off-1",
                     "lineItems": [{"productId": "p-1", "sku": "SKU-1", "name": "Widget", "quantity": 1, "unitPrice": 10.00}],
                     "shippingAddress": {"line1": "1 Main St", "city": "Springfield", "country": "US", "postalCode": "12345"}}
                    """);
            assertThat(placed.status()).as(placed.body()).isEqualTo(201);
            long position = placed.json().get("position").asLong();

            api.get("/api/orders?customerId=off-1&minPosition=" + position).assertProblem(503, "/read-model-behind");
            JsonNode projection = orders(api);
            assertThat(projection.get("runner").asText()).isEqualTo("none");
            assertThat(projection.get("position").asLong()).as("nothing applied").isZero();
            assertThat(projection.get("lag").asLong()).as("the order waits").isEqualTo(1);
            ProjectionService service = reader.getApplicationContext().getBean(ProjectionService.class);
            assertThat(service.orderRunner().isActive()).isFalse();
            assertThat(service.orderRunner().appliedEvents()).isZero();

            try (EmbeddedServer runner = ApplicationContext.run(EmbeddedServer.class, properties(database, true))) {
                JsonNode elsewhere = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
                    while (true) {
                        JsonNode seen = orders(api);
                        if (seen.get("position").asLong() >= position) {
                            return seen;
                        }
                        Thread.sleep(20);
                    }
                }, "the enabled instance applies the order");
                assertThat(elsewhere.get("runner").asText()).isEqualTo("another-instance");
                assertThat(orders(new ApiClient(runner.getURI())).get("runner").asText()).isEqualTo("this-instance");
                var page = api.get("/api/orders?customerId=off-1&minPosition=" + position);
                assertThat(page.status()).as(page.body()).isEqualTo(200);
                assertThat(page.json().get("items")).hasSize(1);
                assertThat(service.orderRunner().appliedEvents()).as("still nothing applied by the disabled one").isZero();
            }
        }
    }
}
