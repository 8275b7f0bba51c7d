package org.pgeventstore.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.pgeventstore.adapters.http.ApiClient;
import org.pgeventstore.adapters.postgres.PostgresTestDatabase;

/** The order command API driven over HTTP against the service on a real PostgreSQL. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OrderApiTest implements TestPropertyProvider {

    private static final String PLACE = """
            {"customerId": "cust-1",
             "lineItems": [{"productId": "p-1", "sku": "SKU-1", "name": "Widget", "quantity": 2, "unitPrice": 12.50}],
             "shippingAddress": {"line1": "1 Main St", "city": "Springfield", "country": "US", "postalCode": "12345"}}
            """;
    private static final String ITEM = """
            {"productId": "p-2", "sku": "SKU-2", "name": "Gadget", "quantity": 1, "unitPrice": 30.00}
            """;

    @Inject
    EmbeddedServer server;

    ApiClient api;

    @Override
    public Map<String, String> getProperties() {
        return TestDatabaseProperties.of(PostgresTestDatabase.shared());
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

    private JsonNode current(String id) {
        var reply = api.get("/api/orders/" + id);
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return reply.json();
    }


    @Test
    @DisplayName("a whole order life: place, add an item, pay, ship, deliver; then its history and past states")
    void wholeLife() {
        var placed = api.postJson("/api/orders", PLACE, "X-Correlation-Id", "life-1", "X-User-Id", "clerk-9");
        assertThat(placed.status()).as(placed.body()).isEqualTo(201);
        String id = placed.json().get("id").asText();
        assertThat(placed.header("Location")).isEqualTo("/api/orders/" + id);
        assertThat(placed.header("ETag")).isEqualTo("\"1\"");
        var order = placed.json();
        assertThat(order.get("status").asText()).isEqualTo("placed");
        assertThat(order.get("orderNumber").asText()).startsWith("ORD-");
        assertThat(order.get("subtotal").decimalValue()).isEqualByComparingTo("25.00");
        assertThat(order.get("shippingCost").decimalValue()).isEqualByComparingTo("5.00");
        assertThat(order.get("total").decimalValue()).isEqualByComparingTo("30.00");
        assertThat(order.get("currency").asText()).as("the default currency").isEqualTo("USD");
        assertThat(order.get("position").asLong()).isPositive();
        Instant afterPlacing = Instant.now();

        var added = api.postJson("/api/orders/" + id + "/items", ITEM);
        assertThat(added.status()).as(added.body()).isEqualTo(200);
        assertThat(added.header("ETag")).isEqualTo("\"2\"");
        assertThat(added.json().get("subtotal").decimalValue()).isEqualByComparingTo("55.00");
        assertThat(added.json().get("shippingCost").decimalValue()).as("free shipping from 50.00").isEqualByComparingTo("0.00");
        assertThat(added.json().get("total").decimalValue()).isEqualByComparingTo("55.00");
        assertThat(added.json().get("position").asLong()).isGreaterThan(order.get("position").asLong());

        var paid = api.postJson("/api/orders/" + id + "/payment", "{\"amount\": 55.00, \"method\": \"card\"}");
        assertThat(paid.status()).as(paid.body()).isEqualTo(200);
        assertThat(paid.json().get("status").asText()).isEqualTo("paid");
        assertThat(paid.json().get("paidAt").asText()).isNotBlank();

        var shipped = api.postJson("/api/orders/" + id + "/shipment",
                "{\"trackingNumber\": \"TRK-1\", \"carrier\": \"UPS\", \"estimatedDelivery\": \"2030-01-02\"}");
        assertThat(shipped.status()).as(shipped.body()).isEqualTo(200);
        assertThat(shipped.json().get("status").asText()).isEqualTo("shipped");

        var delivered = api.postJson("/api/orders/" + id + "/delivery", "{\"signedBy\": \"Ada\"}");
        assertThat(delivered.status()).as(delivered.body()).isEqualTo(200);
        assertThat(delivered.json().get("status").asText()).isEqualTo("delivered");
        assertThat(delivered.json().get("version").asLong()).isEqualTo(5);
        assertThat(delivered.header("ETag")).isEqualTo("\"5\"");

        var view = current(id);
        assertThat(view.get("status").asText()).isEqualTo("delivered");
        assertThat(view.get("lineItems")).hasSize(2);
        assertThat(view.get("deliveredAt").asText()).isNotBlank();

        var atOne = api.get("/api/orders/" + id + "?version=1").json();
        assertThat(atOne.get("status").asText()).isEqualTo("placed");
        assertThat(atOne.get("lineItems")).hasSize(1);
        assertThat(atOne.get("version").asLong()).isEqualTo(1);

        var asOf = api.get("/api/orders/" + id + "?asOf=" + afterPlacing).json();
        assertThat(asOf.get("version").asLong()).isEqualTo(1);
        api.get("/api/orders/" + id + "?asOf=2000-01-01T00:00:00Z").assertProblem(404, "/order-not-found");
        api.get("/api/orders/" + id + "?version=9").assertProblem(404, "/version-not-found");

        var history = api.get("/api/orders/" + id + "/events").json();
        assertThat(history.get("streamId").asText()).isEqualTo("order-" + id);
        assertThat(history.get("version").asLong()).isEqualTo(5);
        List<String> types = new ArrayList<>();
        history.get("events").forEach(e -> types.add(e.get("type").asText()));
        assertThat(types).containsExactly("OrderPlaced", "OrderItemAdded", "OrderPaid", "OrderShipped", "OrderDelivered");
        var metadata = history.get("events").get(0).get("metadata");
        assertThat(metadata.get("correlationId").asText()).isEqualTo("life-1");
        assertThat(metadata.get("userId").asText()).as("the caller; X-User-Id needs the impersonate role")
                .isEqualTo("admin (EVENTSTORE_ADMIN_KEY)");
        assertThat(metadata.get("command").asText()).isEqualTo("PlaceOrder");
    }

    @Nested
    @DisplayName("failures: a problem+json, nothing appended")
    class Failures {

        @Test
        @DisplayName("a command the lifecycle does not allow is a 409 invalid-transition naming status and command")
        void invalidTransition() {
            String id = place();
            var reply = api.postJson("/api/orders/" + id + "/shipment", "{\"trackingNumber\": \"T\", \"carrier\": \"C\"}");
            reply.assertProblem(409, "/invalid-transition");
            assertThat(reply.json().get("orderStatus").asText()).isEqualTo("placed");
            assertThat(reply.json().get("command").asText()).isEqualTo("ShipOrder");
            assertThat(current(id).get("version").asLong()).isEqualTo(1);
        }

        @Test
        @DisplayName("cancelling after shipment is refused; cancelling a paid order refunds what was paid")
        void cancellation() {
            String shippedId = place();
            api.postJson("/api/orders/" + shippedId + "/payment", "{\"amount\": 30.00, \"method\": \"card\"}");
            api.postJson("/api/orders/" + shippedId + "/shipment", "{\"trackingNumber\": \"T\", \"carrier\": \"C\"}");
            var refused = api.postJson("/api/orders/" + shippedId + "/cancellation",
                    "{\"reason\": \"late\", \"cancelledBy\": \"ops\"}");
            refused.assertProblem(409, "/invalid-transition");
            assertThat(refused.json().get("orderStatus").asText()).isEqualTo("shipped");

            String paidId = place();
            api.postJson("/api/orders/" + paidId + "/payment", "{\"amount\": 30.00, \"method\": \"card\"}");
            var tooMuch = api.postJson("/api/orders/" + paidId + "/cancellation",
                    "{\"reason\": \"r\", \"cancelledBy\": \"ops\", \"refundAmount\": 31.00}");
            tooMuch.assertProblem(422, "/refund-exceeds-payment");
            var cancelled = api.postJson("/api/orders/" + paidId + "/cancellation",
                    "{\"reason\": \"changed mind\", \"cancelledBy\": \"customer\"}");
            assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(200);
            assertThat(cancelled.json().get("status").asText()).isEqualTo("cancelled");
            var lastEvent = api.get("/api/orders/" + paidId + "/events").json().get("events").get(2);
            assertThat(lastEvent.get("data").get("refundAmount").decimalValue()).isEqualByComparingTo("30.00");
        }

        @Test
        @DisplayName("a payment other than the total is a 422")
        void paymentMismatch() {
            String id = place();
            api.postJson("/api/orders/" + id + "/payment", "{\"amount\": 29.99, \"method\": \"card\"}")
                    .assertProblem(422, "/payment-mismatch");
            assertThat(current(id).get("status").asText()).isEqualTo("placed");
        }

        @Test
        @DisplayName("an unknown order is a 404, a malformed order id a 400")
        void unknownOrder() {
            String unknown = UUID.randomUUID().toString();
            api.get("/api/orders/" + unknown).assertProblem(404, "/order-not-found");
            api.get("/api/orders/" + unknown + "/events").assertProblem(404, "/order-not-found");
            api.postJson("/api/orders/" + unknown + "/items", ITEM).assertProblem(404, "/order-not-found");
            api.get("/api/orders/not-a-uuid").assertProblem(400, "/invalid-parameter");
            api.get("/api/orders/..%2F..%2Fetc%2Fpasswd").assertProblem(400, "/invalid-parameter");
        }

        @Test
        @DisplayName("invalid input is a 422 listing the offending fields")
        void validation() {
            var reply = api.postJson("/api/orders", """
                    {"customerId": "",
                     "lineItems": [{"productId": "p", "sku": "s", "name": "n", "quantity": 0, "unitPrice": 1.999}],
                     "shippingAddress": {"line1": "l", "city": "c", "country": "", "postalCode": "1"}}
                    """);
            reply.assertProblem(422, "/validation-failed");
            List<String> fields = new ArrayList<>();
            reply.json().get("invalidParams").forEach(p -> fields.add(p.get("name").asText()));
            assertThat(fields).contains("customerId", "lineItems[0].quantity", "lineItems[0].unitPrice",
                    "shippingAddress.country");
        }

        @Test
        @DisplayName("a stale If-Match is a 412 and appends nothing; a current one succeeds")
        void ifMatch() {
            String id = place();
            var stale = api.postJson("/api/orders/" + id + "/items", ITEM, "If-Match", "\"7\"");
            stale.assertProblem(412, "/stale-version");
            assertThat(stale.json().get("actualVersion").asLong()).isEqualTo(1);
            assertThat(current(id).get("version").asLong()).isEqualTo(1);
            var fresh = api.postJson("/api/orders/" + id + "/items", ITEM, "If-Match", "\"1\"");
            assertThat(fresh.status()).as(fresh.body()).isEqualTo(200);
            api.postJson("/api/orders/" + id + "/items", ITEM, "If-Match", "soon").assertProblem(400, "/invalid-parameter");
        }

        @Test
        @DisplayName("the same Idempotency-Key returns the same order; reused for another order it is a 422")
        void idempotencyKey() {
            String key = "key-" + UUID.randomUUID();
            var first = api.postJson("/api/orders", PLACE, "Idempotency-Key", key);
            var again = api.postJson("/api/orders", PLACE, "Idempotency-Key", key);
            assertThat(first.status()).as(first.body()).isEqualTo(201);
            assertThat(again.status()).as(again.body()).isEqualTo(200);
            assertThat(again.json().get("id")).isEqualTo(first.json().get("id"));
            assertThat(again.header("Location")).isEqualTo(first.header("Location"));
            assertThat(current(first.json().get("id").asText()).get("version").asLong()).isEqualTo(1);
            api.postJson("/api/orders", PLACE.replace("cust-1", "cust-2"), "Idempotency-Key", key)
                    .assertProblem(422, "/idempotency-key-reused");
        }

        @Test
        @DisplayName("an order keeps the currency it was placed in; an unknown currency is a 422")
        void currency() {
            var euro = api.postJson("/api/orders", PLACE.replace("\"customerId\"", "\"currency\": \"EUR\", \"customerId\""));
            assertThat(euro.status()).as(euro.body()).isEqualTo(201);
            assertThat(current(euro.json().get("id").asText()).get("currency").asText()).isEqualTo("EUR");
            api.postJson("/api/orders", PLACE.replace("\"customerId\"", "\"currency\": \"XXZ\", \"customerId\""))
                    .assertProblem(422, "/validation-failed");
            api.postJson("/api/orders", PLACE.replace("\"customerId\"", "\"currency\": \"euro\", \"customerId\""))
                    .assertProblem(422, "/validation-failed");
        }

        @Test
        @DisplayName("malformed JSON is a 400, a wrong content type a 415")
        void malformed() {
            api.postJson("/api/orders", "{\"customerId\":").assertProblem(400, "/malformed-json");
            api.post("/api/orders", "text/plain", PLACE).assertProblem(415, "/unsupported-media-type");
        }
    }

    @Nested
    @DisplayName("concurrency")
    class Concurrency {

        /** Item {@code n} of a concurrent run: each thread adds one of its own, to tell them apart afterwards. */
        private static String item(int n) {
            return """
                    {"productId": "p-c%d", "sku": "SKU-C%d", "name": "Item %d", "quantity": %d, "unitPrice": %d.25}
                    """.formatted(n, n, n, 1 + n % 3, 1 + n);
        }

        /** The line item as the API shows it, reduced to what the request said. */
        private static String sent(JsonNode item) {
            return "%s|%s|%s|%d|%s".formatted(item.get("productId").asText(), item.get("sku").asText(),
                    item.get("name").asText(), item.get("quantity").asInt(), item.get("unitPrice").decimalValue().stripTrailingZeros().toPlainString());
        }

        private static String sentItem(int n) {
            try {
                return sent(new ObjectMapper().readTree(item(n)));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Thread {@code t} adds {@link #item item(t)}; all are released together once every one is ready. */
        private List<ApiClient.Reply> addItemsConcurrently(String id, int threads, String... headers) throws Exception {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                CountDownLatch ready = new CountDownLatch(threads);
                CountDownLatch start = new CountDownLatch(1);
                List<Future<ApiClient.Reply>> futures = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    String body = item(t);
                    futures.add(pool.submit(() -> {
                        ready.countDown();
                        assertThat(start.await(1, TimeUnit.MINUTES)).as("released").isTrue();
                        return api.postJson("/api/orders/" + id + "/items", body, headers);
                    }));
                }
                assertThat(ready.await(1, TimeUnit.MINUTES)).as("every thread ready").isTrue();
                start.countDown();
                List<ApiClient.Reply> replies = new ArrayList<>();
                for (Future<ApiClient.Reply> future : futures) {
                    replies.add(future.get(2, TimeUnit.MINUTES));
                }
                return replies;
            } finally {
                pool.shutdownNow();
            }
        }

        /** The order's line items after the placed one, as sent. */
        private List<String> addedItems(String id) {
            List<String> items = new ArrayList<>();
            current(id).get("lineItems").forEach(item -> items.add(sent(item)));
            return items.subList(1, items.size());
        }

        /** The items of the order's OrderItemAdded events, in version order. */
        private List<String> itemEvents(String id) {
            List<String> items = new ArrayList<>();
            for (JsonNode event : api.get("/api/orders/" + id + "/events").json().get("events")) {
                if (event.get("type").asText().equals("OrderItemAdded")) {
                    items.add(sent(event.get("data").get("lineItem")));
                }
            }
            return items;
        }

        @Test
        @DisplayName("20 threads adding distinct items without If-Match: each item applied once, version 21")
        void twentyWritersWithoutIfMatch() throws Exception {
            String id = place();
            List<ApiClient.Reply> replies = addItemsConcurrently(id, 20);
            assertThat(replies).allSatisfy(reply -> assertThat(reply.status()).as(reply.body()).isEqualTo(200));
            List<String> expected = IntStream.range(0, 20).mapToObj(Concurrency::sentItem).toList();
            var order = current(id);
            assertThat(order.get("version").asLong()).isEqualTo(21);
            assertThat(sent(order.get("lineItems").get(0))).as("the placed item first").isEqualTo("p-1|SKU-1|Widget|2|12.5");
            assertThat(addedItems(id)).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(itemEvents(id)).as("the history holds the same items, in the order the state shows them")
                    .containsExactlyElementsOf(addedItems(id));
            BigDecimal subtotal = new BigDecimal("25.00");
            for (int n = 0; n < 20; n++) {
                subtotal = subtotal.add(new BigDecimal((1 + n) + ".25").multiply(BigDecimal.valueOf(1 + n % 3)));
            }
            assertThat(order.get("subtotal").decimalValue()).isEqualByComparingTo(subtotal);
            assertThat(replies).extracting(reply -> reply.json().get("version").asLong())
                    .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(2, 21).boxed().toList());
        }

        @Test
        @DisplayName("20 threads adding items with a stale If-Match: all 412, no extra event")
        void twentyWritersWithStaleIfMatch() throws Exception {
            String id = place();
            api.postJson("/api/orders/" + id + "/items", ITEM);
            List<ApiClient.Reply> replies = addItemsConcurrently(id, 20, "If-Match", "\"1\"");
            assertThat(replies).allSatisfy(reply -> reply.assertProblem(412, "/stale-version"));
            assertThat(current(id).get("version").asLong()).isEqualTo(2);
            assertThat(addedItems(id)).containsExactly("p-2|SKU-2|Gadget|1|30");
        }

        @Test
        @DisplayName("20 threads adding distinct items all with the current If-Match: exactly one wins, the rest 412, only its item stored")
        void oneWinnerWithCurrentIfMatch() throws Exception {
            String id = place();
            List<ApiClient.Reply> replies = addItemsConcurrently(id, 20, "If-Match", "\"1\"");
            List<Integer> winners = IntStream.range(0, 20).filter(t -> replies.get(t).status() == 200)
                    .boxed().toList();
            assertThat(winners).hasSize(1);
            assertThat(replies.stream().filter(r -> r.status() == 412)).hasSize(19);
            assertThat(current(id).get("version").asLong()).isEqualTo(2);
            assertThat(addedItems(id)).containsExactly(sentItem(winners.getFirst()));
            assertThat(itemEvents(id)).containsExactly(sentItem(winners.getFirst()));
        }
    }
}
