package org.pgeventstore.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.pgeventstore.adapters.http.ApiClient;
import org.pgeventstore.adapters.postgres.PostgresTestDatabase;

/**
 * Order commands at the edges, over HTTP on a real PostgreSQL, with the service's clock an hour
 * behind the database's: one clock for event times, idempotent commands, and If-Match as RFC 9110
 * says.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OrderIntegrityApiTest implements TestPropertyProvider {

    private static final String PLACE = """
            {"customerId": "cust-int",
             "lineItems": [{"productId": "p-1", "sku": "SKU-1", "name": "Widget", "quantity": 2, "unitPrice": 12.50}],
             "shippingAddress": {"line1": "1 Main St", "city": "Springfield", "country": "US", "postalCode": "12345"}}
            """;

    @Inject
    EmbeddedServer server;

    ApiClient api;

    /** The instance's clock, an hour behind the database's, as a badly synchronised host would have it. */
    @Factory
    @Requires(property = "test.commands-clock-behind")
    static class SkewedClock {
        @Singleton
        @Named("commands")
        @Replaces(bean = Clock.class, named = "commands")
        Clock behind() {
            return Clock.offset(Clock.systemUTC(), Duration.ofHours(-1));
        }
    }

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> properties = new HashMap<>(TestDatabaseProperties.of(PostgresTestDatabase.shared()));
        properties.put("test.commands-clock-behind", "true");
        return properties;
    }

    @BeforeEach
    void client() {
        api = new ApiClient(server.getURI());
    }

    private String place() {
        var placed = api.postJson("/api/orders", PLACE);
        assertThat(placed.status()).as(placed.body()).isEqualTo(201);
        return placed.json().get("id").asText();
    }

    private static String item(int n) {
        return "{\"productId\": \"p-" + n + "\", \"sku\": \"SKU-" + n + "\", \"name\": \"Item " + n
                + "\", \"quantity\": 1, \"unitPrice\": 3.00}";
    }

    private long versionAsOf(String id, String instant) {
        var reply = api.get("/api/orders/" + id + "?asOf=" + instant);
        assertThat(reply.status()).as("asOf=%s: %s", instant, reply.body()).isEqualTo(200);
        return reply.json().get("version").asLong();
    }

    @Nested
    @DisplayName("one clock")
    class OneClock {

        @Test
        @DisplayName("every time an order view or its history shows selects its event in ?asOf=, whatever the service's clock")
        void everyTimeSelectsItsEvent() {
            String id = place();
            assertThat(api.postJson("/api/orders/" + id + "/items", item(2)).status()).isEqualTo(200);
            assertThat(api.postJson("/api/orders/" + id + "/payment", "{\"amount\": 33.00, \"method\": \"card\"}").status())
                    .isEqualTo(200);
            assertThat(api.postJson("/api/orders/" + id + "/shipment", "{\"trackingNumber\": \"T\", \"carrier\": \"UPS\"}")
                    .status()).isEqualTo(200);
            var delivered = api.postJson("/api/orders/" + id + "/delivery", "{}");
            assertThat(delivered.status()).as(delivered.body()).isEqualTo(200);

            JsonNode view = api.get("/api/orders/" + id).json();
            assertThat(delivered.json()).as("a command answers what a later read shows").isEqualTo(view);
            assertThat(versionAsOf(id, view.get("placedAt").asText())).isEqualTo(1);
            assertThat(versionAsOf(id, view.get("paidAt").asText())).isEqualTo(3);
            assertThat(versionAsOf(id, view.get("shippedAt").asText())).isEqualTo(4);
            assertThat(versionAsOf(id, view.get("deliveredAt").asText())).isEqualTo(5);
            JsonNode events = api.get("/api/orders/" + id + "/events").json().get("events");
            for (JsonNode event : events) {
                assertThat(versionAsOf(id, event.get("occurredAt").asText())).as(event.toString())
                        .isGreaterThanOrEqualTo(event.get("version").asLong());
            }
            assertThat(events.get(0).get("occurredAt").asText()).isEqualTo(view.get("placedAt").asText());

            String cancelled = place();
            var cancel = api.postJson("/api/orders/" + cancelled + "/cancellation",
                    "{\"reason\": \"changed my mind\", \"cancelledBy\": \"customer\"}");
            assertThat(cancel.status()).as(cancel.body()).isEqualTo(200);
            assertThat(versionAsOf(cancelled, cancel.json().get("cancelledAt").asText())).isEqualTo(2);
        }

        @Test
        @DisplayName("the read model shows the same times as the order view")
        void readModelAgrees() {
            String id = place();
            var paid = api.postJson("/api/orders/" + id + "/payment", "{\"amount\": 30.00, \"method\": \"card\"}");
            long position = paid.json().get("position").asLong();
            var list = api.get("/api/orders?customerId=cust-int&status=paid&limit=100&minPosition=" + position);
            assertThat(list.status()).as(list.body()).isEqualTo(200);
            JsonNode row = null;
            for (JsonNode item : list.json().get("items")) {
                if (item.get("id").asText().equals(id)) {
                    row = item;
                }
            }
            assertThat(row).as("order %s in the list", id).isNotNull();
            assertThat(row.get("placedAt").asText()).isEqualTo(paid.json().get("placedAt").asText());
            assertThat(row.get("paidAt").asText()).isEqualTo(paid.json().get("paidAt").asText());
        }
    }

    @Nested
    @DisplayName("Idempotency-Key on commands")
    class IdempotentCommands {

        @Test
        @DisplayName("a command re-sent with its key after a lost response appends nothing and answers as the first time")
        void resentCommand() {
            String id = place();
            String key = "add-" + UUID.randomUUID();
            var first = api.postJson("/api/orders/" + id + "/items", item(2), "Idempotency-Key", key);
            assertThat(first.status()).as(first.body()).isEqualTo(200);
            assertThat(api.postJson("/api/orders/" + id + "/items", item(3)).status()).isEqualTo(200);

            var again = api.postJson("/api/orders/" + id + "/items", item(2), "Idempotency-Key", key);
            assertThat(again.status()).as(again.body()).isEqualTo(200);
            assertThat(again.json()).isEqualTo(first.json());
            assertThat(again.header("ETag")).isEqualTo("\"2\"");
            JsonNode order = api.get("/api/orders/" + id).json();
            assertThat(order.get("version").asLong()).isEqualTo(3);
            assertThat(order.get("lineItems")).hasSize(3);

            String payKey = "pay-" + UUID.randomUUID();
            String payment = "{\"amount\": 36.00, \"method\": \"card\"}";
            var paid = api.postJson("/api/orders/" + id + "/payment", payment, "Idempotency-Key", payKey);
            assertThat(paid.status()).as(paid.body()).isEqualTo(200);
            var paidAgain = api.postJson("/api/orders/" + id + "/payment", payment, "Idempotency-Key", payKey);
            assertThat(paidAgain.status()).as("a paid order is not paid again, the first answer comes back: %s",
                    paidAgain.body()).isEqualTo(200);
            assertThat(paidAgain.json()).isEqualTo(paid.json());
        }

        @Test
        @DisplayName("a key reused for another command or other arguments is a 422 and appends nothing")
        void reusedKey() {
            String id = place();
            String key = "k-" + UUID.randomUUID();
            assertThat(api.postJson("/api/orders/" + id + "/items", item(2), "Idempotency-Key", key).status()).isEqualTo(200);
            api.postJson("/api/orders/" + id + "/items", item(9), "Idempotency-Key", key)
                    .assertProblem(422, "/idempotency-key-reused");
            api.postJson("/api/orders/" + id + "/payment", "{\"amount\": 28.00, \"method\": \"card\"}", "Idempotency-Key", key)
                    .assertProblem(422, "/idempotency-key-reused");
            assertThat(api.get("/api/orders/" + id).json().get("version").asLong()).isEqualTo(2);
        }

        @Test
        @DisplayName("8 clients re-sending one keyed command at once: it is applied once, all get its answer")
        void concurrentResends() throws Exception {
            String id = place();
            String key = "race-" + UUID.randomUUID();
            int clients = 8;
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            CountDownLatch start = new CountDownLatch(1);
            try {
                List<Future<ApiClient.Reply>> replies = new ArrayList<>();
                for (int i = 0; i < clients; i++) {
                    replies.add(pool.submit(() -> {
                        start.await();
                        return api.postJson("/api/orders/" + id + "/items", item(2), "Idempotency-Key", key);
                    }));
                }
                start.countDown();
                for (Future<ApiClient.Reply> reply : replies) {
                    ApiClient.Reply answer = reply.get(30, TimeUnit.SECONDS);
                    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
                    assertThat(answer.json().get("version").asLong()).isEqualTo(2);
                }
            } finally {
                pool.shutdownNow();
            }
            JsonNode order = api.get("/api/orders/" + id).json();
            assertThat(order.get("version").asLong()).isEqualTo(2);
            assertThat(order.get("lineItems")).hasSize(2);
        }
    }

    @Nested
    @DisplayName("If-Match (RFC 9110)")
    class Preconditions {

        @Test
        @DisplayName("strong comparison: W/\"1\" never matches; a list matches any of its tags; * any existing order")
        void comparison() {
            String id = place();
            api.postJson("/api/orders/" + id + "/items", item(2), "If-Match", "W/\"1\"").assertProblem(412, "/stale-version");
            var listed = api.postJson("/api/orders/" + id + "/items", item(2), "If-Match", "\"7\", \"1\"");
            assertThat(listed.status()).as(listed.body()).isEqualTo(200);
            var any = api.postJson("/api/orders/" + id + "/items", item(3), "If-Match", "*");
            assertThat(any.status()).as(any.body()).isEqualTo(200);
            api.postJson("/api/orders/" + id + "/items", item(4), "If-Match", "\"1\", W/\"3\"")
                    .assertProblem(412, "/stale-version");
            assertThat(api.get("/api/orders/" + id).json().get("version").asLong()).isEqualTo(3);
        }

        @Test
        @DisplayName("If-Match on an order that does not exist is a 412; a malformed one a 400")
        void missingOrderAndMalformed() {
            String unknown = UUID.randomUUID().toString();
            api.postJson("/api/orders/" + unknown + "/items", item(1), "If-Match", "\"1\"").assertProblem(412, "/stale-version");
            api.postJson("/api/orders/" + unknown + "/items", item(1), "If-Match", "*").assertProblem(412, "/stale-version");
            api.postJson("/api/orders/" + unknown + "/items", item(1)).assertProblem(404, "/order-not-found");
            String id = place();
            for (String malformed : List.of("1", "\"1", "\"1\",", "*, \"1\"", "W/1")) {
                api.postJson("/api/orders/" + id + "/items", item(1), "If-Match", malformed)
                        .assertProblem(400, "/invalid-parameter");
            }
        }

        @Test
        @DisplayName("an invalid transition names the order's status as orderStatus; the problem's status stays the HTTP code")
        void invalidTransitionMembers() {
            String id = place();
            var shipped = api.postJson("/api/orders/" + id + "/shipment", "{\"trackingNumber\": \"T\", \"carrier\": \"UPS\"}");
            shipped.assertProblem(409, "/invalid-transition");
            assertThat(shipped.json().get("status").asInt()).isEqualTo(409);
            assertThat(shipped.json().get("orderStatus").asText()).isEqualTo("placed");
        }
    }
}
