package org.pgeventstore.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.pgeventstore.adapters.http.ApiClient;
import org.pgeventstore.adapters.postgres.PostgresEventStore;
import org.pgeventstore.adapters.postgres.PostgresTestDatabase;
import org.pgeventstore.adapters.postgres.ScratchDatabase;
import org.pgeventstore.application.eventstore.ExpectedVersion;
import org.pgeventstore.application.eventstore.NewEvent;
import org.pgeventstore.application.eventstore.StreamId;

/**
 * {@code eventstore.projections.on-failure} as the assembled service applies it, each on a
 * database of its own (the poison is in category {@code order}). The default, {@code park}, is
 * {@link ParkedStreamApiTest}'s.
 */
class ProjectionFailurePolicyTest {

    private static final String LEGACY_TYPE = "OrderItemAddedLegacy";

    private static Map<String, Object> properties(ScratchDatabase database, String onFailure) {
        var server = PostgresTestDatabase.shared();
        Map<String, Object> properties = new HashMap<>();
        properties.put("datasources.default.url", database.jdbcUrl());
        properties.put("datasources.default.username", server.username());
        properties.put("datasources.default.password", server.password());
        properties.put("micronaut.server.port", "-1");
        properties.put("eventstore.projections.on-failure", onFailure);
        properties.put("eventstore.projections.retry.max-attempts", "2");
        properties.put("eventstore.projections.retry.initial-delay", "1ms");
        properties.put("eventstore.projections.read-your-writes-timeout", "300ms");
        properties.put("eventstore.readiness.max-projection-lag", "1s");
        return properties;
    }

    private static JsonNode place(ApiClient api, String customer) {
        var placed = api.postJson("/api/orders", """
                {"customerId": "%s",
                 "lineItems": [{"productId": "p-1", "sku": "SKU-1", "name": "Widget", "quantity": 1, "unitPrice": 10.00}],
                 "shippingAddress": {"line1": "1 Main St", "city": "Springfield", "country": "US", "postalCode": "12345"}}
                """.formatted(customer));
        assertThat(placed.status()).as(placed.body()).isEqualTo(201);
        return placed.json();
    }

    @Test
    @DisplayName("on-failure: stop halts the whole projection at a poison event: failed, naming the event and the "
            + "error; later orders wait; a resume tries it again")
    void stopHaltsTheProjection() {
        try (var database = ScratchDatabase.create("on_failure_stop");
             EmbeddedServer service = ApplicationContext.run(EmbeddedServer.class, properties(database, "stop"))) {
            ApiClient api = new ApiClient(service.getURI());
            JsonNode poisoned = place(api, "stop-1");
            long poison = new PostgresEventStore(database.dataSource()).append(
                    StreamId.of("order-" + poisoned.get("id").asText()), ExpectedVersion.exactly(1),
                    List.of(NewEvent.of(LEGACY_TYPE, "{\"lineItem\": {\"sku\": \"OLD\"}}"))).lastPosition();
            long later = place(api, "stop-2").get("position").asLong();

            JsonNode failed = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
                while (true) {
                    JsonNode projection = api.get("/api/projections/orders").json();
                    if (projection.get("status").asText().equals("failed")) {
                        return projection;
                    }
                    Thread.sleep(20);
                }
            }, "the projection stops at the poison event");
            assertThat(failed.get("failedPosition").asLong()).isEqualTo(poison);
            assertThat(failed.get("lastError").asText()).contains(LEGACY_TYPE);
            assertThat(failed.get("position").asLong()).as("stopped before it").isLessThan(poison);
            assertThat(failed.get("parkedStreams").asLong()).as("nothing parked").isZero();
            api.get("/api/orders?customerId=stop-2&minPosition=" + later).assertProblem(503, "/read-model-behind");
            String unready = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
                while (true) {
                    var readiness = api.get("/health/readiness");
                    if (readiness.status() == 503) {
                        return readiness.body();
                    }
                    Thread.sleep(50);
                }
            }, "readiness goes DOWN once the halted projection trails by more than max-projection-lag");
            assertThat(unready).contains("projection orders trails the feed by");

            var resumed = api.postJson("/api/projections/orders/resume", "");
            assertThat(resumed.status()).as(resumed.body()).isEqualTo(200);
            assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
                while (!api.get("/api/projections/orders").json().get("status").asText().equals("failed")) {
                    Thread.sleep(20);
                }
            }, "tried again, it fails again: the cause was not fixed");
            assertThat(api.get("/api/projections/orders").json().get("failedPosition").asLong()).isEqualTo(poison);
            assertThat(service.getApplicationContext().getBean(ProjectionService.class).orderRunner().failures())
                    .as("given up on twice").isEqualTo(2);
        }
    }

    @Test
    @DisplayName("on-failure: dead-letter, the former policy, is refused at start-up, naming park, which replaced it")
    void deadLetterIsRefused() {
        try (var database = ScratchDatabase.create("on_failure_dead_letter")) {
            assertThatThrownBy(() -> ApplicationContext.run(EmbeddedServer.class, properties(database, "dead-letter"))
                    .close())
                    .hasStackTraceContaining("eventstore.projections.on-failure must be park or stop, was dead-letter")
                    .hasStackTraceContaining("dead-letter was replaced by park");
        }
    }
}
