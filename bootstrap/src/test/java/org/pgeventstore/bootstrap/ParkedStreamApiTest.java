package org.pgeventstore.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.pgeventstore.adapters.http.ApiClient;
import org.pgeventstore.adapters.postgres.PostgresEventStore;
import org.pgeventstore.adapters.postgres.ScratchDatabase;
import org.pgeventstore.application.eventstore.ExpectedVersion;
import org.pgeventstore.application.eventstore.NewEvent;
import org.pgeventstore.application.eventstore.StreamId;
import org.pgeventstore.application.order.OrderEventRegistry;
import org.pgeventstore.domain.order.Money;
import org.pgeventstore.domain.order.OrderPaid;

/**
 * A poison event through the whole service: its order is parked, the others go on, and an
 * operator lists, resumes and skips over HTTP. On a database of its own: the poison is in
 * category {@code order}, which other tests project from position 0.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ParkedStreamApiTest {

    private static final String LEGACY_TYPE = "OrderItemAddedLegacy";

    private ScratchDatabase database;
    private EmbeddedServer service;
    private ApiClient api;

    @BeforeAll
    void start() {
        database = ScratchDatabase.create("parked_api");
        var server = org.pgeventstore.adapters.postgres.PostgresTestDatabase.shared();
        service = ApplicationContext.run(EmbeddedServer.class, Map.of(
                "datasources.default.url", database.jdbcUrl(),
                "datasources.default.username", server.username(),
                "datasources.default.password", server.password(),
                "eventstore.projections.retry.max-attempts", "2",
                "eventstore.projections.retry.initial-delay", "1ms",
                "micronaut.server.port", "-1"));
        api = new ApiClient(service.getURI());
    }

    @AfterAll
    void stop() {
        if (service != null) {
            service.close();
        }
        database.close();
    }

    private JsonNode place(String customer) {
        var placed = api.postJson("/api/orders", """
                {"customerId": "%s",
                 "lineItems": [{"productId": "p-1", "sku": "SKU-1", "name": "Widget", "quantity": 1, "unitPrice": 10.00}],
                 "shippingAddress": {"line1": "1 Main St", "city": "Springfield", "country": "US", "postalCode": "12345"}}
                """.formatted(customer));
        assertThat(placed.status()).as(placed.body()).isEqualTo(201);
        return placed.json();
    }

    /**
     * An event written past the order's commands, as an older writer or an import would have: the
     * generic route refuses the order category, so it goes to the store directly.
     */
    private long appendRaw(String stream, long expectedVersion, String type, String data) {
        var appended = new PostgresEventStore(database.dataSource()).append(StreamId.of(stream),
                ExpectedVersion.exactly(expectedVersion), List.of(NewEvent.of(type, data)));
        return appended.lastPosition();
    }

    private JsonNode orderOf(String customer, long minPosition) {
        var page = api.get("/api/orders?customerId=" + customer + "&minPosition=" + minPosition);
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        return page.json().get("items");
    }

    @Test
    @DisplayName("a poison event parks its order only; GET lists it, resume retries it, skip (with a reason, recorded with the caller) releases it")
    void parkListResumeSkip() {
        String customer = "parked-" + UUID.randomUUID();
        JsonNode poisoned = place(customer);
        String stream = "order-" + poisoned.get("id").asText();
        String item = "{\"lineItem\": {\"productId\": \"p-2\", \"sku\": \"SKU-2\", \"name\": \"Gadget\", \"quantity\": 1, "
                + "\"unitPrice\": 5.00}, \"subtotal\": 15.00, \"shippingCost\": 5.00, \"total\": 20.00}";
        long poison = appendRaw(stream, 1, LEGACY_TYPE, item);
        String paid = new OrderEventRegistry().dataOf(new OrderPaid(Money.of("15.00"), "card", Instant.now()));
        appendRaw(stream, 2, "OrderPaid", paid);
        String other = "other-" + UUID.randomUUID();
        long otherPosition = place(other).get("position").asLong();

        assertThat(orderOf(other, otherPosition)).as("an order placed after the poison is projected").hasSize(1);
        JsonNode projection = api.get("/api/projections/orders").json();
        assertThat(projection.get("status").asText()).isEqualTo("running");
        assertThat(projection.get("parkedStreams").asLong()).isEqualTo(1);
        var list = api.get("/api/projections/orders/parked");
        assertThat(list.status()).as(list.body()).isEqualTo(200);
        assertThat(list.json().get("items")).singleElement().satisfies(parked -> {
            assertThat(parked.get("streamId").asText()).isEqualTo(stream);
            assertThat(parked.get("waitingEvents").asLong()).isEqualTo(2);
            assertThat(parked.get("head").get("position").asLong()).isEqualTo(poison);
            assertThat(parked.get("head").get("version").asLong()).isEqualTo(2);
            assertThat(parked.get("head").get("type").asText()).isEqualTo(LEGACY_TYPE);
            assertThat(parked.get("head").get("error").asText()).contains("no reader for event type " + LEGACY_TYPE);
        });
        assertThat(api.get("/api/projections/orders/parked/" + stream).json().get("head").get("position").asLong())
                .isEqualTo(poison);
        var report = api.postJson("/api/projections/orders/reconciliation", "");
        assertThat(report.status()).as(report.body()).isEqualTo(200);
        assertThat(report.json().get("consistent").asBoolean()).as("the parked order is compared as of its head: "
                + report.body()).isTrue();
        api.get("/api/projections/orders/parked/order-" + UUID.randomUUID()).assertProblem(404, "/stream-not-parked");
        api.get("/api/projections/orders/parked/not%20a%20stream").assertProblem(400, "/invalid-parameter");
        api.get("/api/projections/nope/parked").assertProblem(404, "/unknown-projection");

        var stillBroken = api.postJson("/api/projections/orders/parked/" + stream + "/resume", "");
        assertThat(stillBroken.status()).as(stillBroken.body()).isEqualTo(200);
        assertThat(stillBroken.json().get("applied").asInt()).isZero();
        assertThat(stillBroken.json().get("parked").asBoolean()).isTrue();

        String skip = "/api/projections/orders/parked/" + stream + "/skip";
        api.anonymous().postJson(skip, "{\"position\": " + poison + ", \"reason\": \"legacy import\"}")
                .assertProblem(401, "/unauthenticated");
        api.postJson(skip, "{}").assertProblem(422, "/validation-failed");
        api.postJson(skip, "{\"position\": " + poison + ", \"reason\": \"  \"}")
                .assertProblem(422, "/validation-failed");
        api.postJson(skip, "{\"position\": " + poison + ", \"reason\": \"ok\\nevent=forged\"}")
                .assertProblem(422, "/validation-failed");
        var moved = api.postJson(skip, "{\"position\": " + (poison + 1) + ", \"reason\": \"legacy import\"}");
        moved.assertProblem(409, "/parked-head-moved");
        assertThat(moved.json().get("headPosition").asLong()).isEqualTo(poison);
        api.postJson("/api/projections/orders/parked/order-" + UUID.randomUUID() + "/resume", "")
                .assertProblem(404, "/stream-not-parked");

        var skipped = api.postJson(skip, "{\"position\": " + poison + ", \"reason\": \"legacy import, item re-sent\"}");
        assertThat(skipped.status()).as(skipped.body()).isEqualTo(200);
        assertThat(skipped.json().get("skipped").get("position").asLong()).isEqualTo(poison);
        assertThat(skipped.json().get("skippedBy").asText()).as("the authenticated caller")
                .isEqualTo("admin (EVENTSTORE_ADMIN_KEY)");
        assertThat(skipped.json().get("reason").asText()).isEqualTo("legacy import, item re-sent");
        assertThat(skipped.json().get("skippedAt").asText()).isNotBlank();
        assertThat(skipped.json().get("parked").asBoolean()).as("OrderPaid still waits behind it").isTrue();
        assertThat(skipped.json().get("stillParked").get("head").get("version").asLong()).isEqualTo(3);

        var resumed = api.postJson("/api/projections/orders/parked/" + stream + "/resume", "");
        assertThat(resumed.status()).as(resumed.body()).isEqualTo(200);
        assertThat(resumed.json().get("applied").asInt()).isEqualTo(1);
        assertThat(resumed.json().get("parked").asBoolean()).isFalse();
        assertThat(orderOf(customer, 0)).singleElement().satisfies(order -> {
            assertThat(order.get("status").asText()).isEqualTo("paid");
            assertThat(order.get("version").asLong()).isEqualTo(3);
            assertThat(order.get("lineItems")).as("without the skipped event's item").hasSize(1);
        });
        assertThat(api.get("/api/projections/orders/parked").json().get("items")).isEmpty();
        var afterSkip = api.postJson("/api/projections/orders/reconciliation", "");
        assertThat(afterSkip.json().get("consistent").asBoolean()).as("the skipped event left out: " + afterSkip.body())
                .isTrue();
        assertThat(api.get("/prometheus").body()).contains("projection_parked_streams{projection=\"orders\"} 0.0",
                "projection_parked_events_total{projection=\"orders\"} 2.0");
    }
}
