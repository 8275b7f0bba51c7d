package org.pgeventstore.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.pgeventstore.adapters.http.ApiClient;
import org.pgeventstore.adapters.postgres.PostgresTestDatabase;

/**
 * The trust boundary over HTTP on a real PostgreSQL: every route without a token, with each role,
 * with keys limited to categories; nothing refused is stored.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccessControlTest implements TestPropertyProvider {

    private static final String PLACE = """
            {"customerId": "cust-acl",
             "lineItems": [{"productId": "p-1", "sku": "SKU-1", "name": "Widget", "quantity": 1, "unitPrice": 10.00}],
             "shippingAddress": {"line1": "1 Main St", "city": "Springfield", "country": "US", "postalCode": "12345"}}
            """;

    @Inject
    EmbeddedServer server;

    ApiClient admin;
    ApiClient reader;
    ApiClient writer;
    ApiClient paymentsOnly;
    ApiClient ordersReader;
    ApiClient impersonator;
    String orderId;
    final String suffix = UUID.randomUUID().toString().substring(0, 8);

    /** A route, and a request body for it when it takes one. */
    record Route(String method, String path, String body) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> properties = new HashMap<>(TestDatabaseProperties.of(PostgresTestDatabase.shared()));
        properties.put("eventstore.security.failed-authentications-per-minute", "1000");
        return properties;
    }

    private ApiClient key(String name, String roles, String categories) {
        String body = "{\"name\": \"" + name + "-" + suffix + "\", \"roles\": " + roles
                + (categories == null ? "" : ", \"categories\": " + categories) + "}";
        var created = admin.postJson("/api/admin/keys", body);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return admin.withToken(created.json().get("key").asText());
    }

    @BeforeAll
    void keys() {
        admin = new ApiClient(server.getURI());
        reader = key("reader", "[\"read\"]", null);
        writer = key("writer", "[\"write\"]", null);
        paymentsOnly = key("payments", "[\"read\", \"write\"]", "[\"payment\"]");
        ordersReader = key("orders-reader", "[\"read\"]", "[\"order\"]");
        impersonator = key("gateway", "[\"write\", \"impersonate\"]", null);
        var placed = admin.postJson("/api/orders", PLACE);
        assertThat(placed.status()).as(placed.body()).isEqualTo(201);
        orderId = placed.json().get("id").asText();
        assertThat(admin.postJson("/api/streams/acl-" + suffix + "/events", "{\"events\": [{\"type\": \"Seen\", \"data\": {}}]}")
                .status()).isEqualTo(201);
        for (String category : List.of("acl", "payment", "order")) {
            var created = admin.putJson("/api/subscriptions/" + category + "-sub-" + suffix,
                    "{\"category\": \"" + category + "\", \"startFrom\": \"beginning\"}");
            assertThat(created.status()).as(created.body()).isEqualTo(201);
        }
        assertThat(admin.putJson("/api/subscriptions/all-sub-" + suffix, "{\"startFrom\": \"beginning\"}").status())
                .isEqualTo(201);
    }

    private List<Route> routes() {
        String append = "{\"events\": [{\"type\": \"Tried\", \"data\": {}}]}";
        String item = "{\"productId\": \"p-2\", \"sku\": \"SKU-2\", \"name\": \"Gadget\", \"quantity\": 1, \"unitPrice\": 1.00}";
        return List.of(
                new Route("POST", "/api/streams/acl-" + suffix + "/events", append),
                new Route("GET", "/api/streams/acl-" + suffix, null),
                new Route("GET", "/api/streams?limit=5", null),
                new Route("GET", "/api/events?after=0&limit=5", null),
                new Route("POST", "/api/orders", PLACE),
                new Route("POST", "/api/orders/" + orderId + "/items", item),
                new Route("POST", "/api/orders/" + orderId + "/payment", "{\"amount\": 1.00, \"method\": \"card\"}"),
                new Route("POST", "/api/orders/" + orderId + "/shipment", "{\"trackingNumber\": \"T\", \"carrier\": \"C\"}"),
                new Route("POST", "/api/orders/" + orderId + "/delivery", "{}"),
                new Route("POST", "/api/orders/" + orderId + "/cancellation", "{\"reason\": \"r\", \"cancelledBy\": \"c\"}"),
                new Route("GET", "/api/orders/" + orderId, null),
                new Route("GET", "/api/orders/" + orderId + "/events", null),
                new Route("GET", "/api/orders?limit=5", null),
                new Route("GET", "/api/projections", null),
                new Route("GET", "/api/projections/orders", null),
                new Route("POST", "/api/projections/orders/resume", ""),
                new Route("POST", "/api/projections/orders/reconciliation", ""),
                new Route("GET", "/api/subscriptions", null),
                new Route("GET", "/api/subscriptions/acl-sub-" + suffix, null),
                new Route("GET", "/api/subscriptions/acl-sub-" + suffix + "/events?wait=0", null),
                new Route("POST", "/api/subscriptions/acl-sub-" + suffix + "/ack", "{\"position\": 0}"),
                new Route("PUT", "/api/subscriptions/acl-put-" + suffix, "{\"startFrom\": \"end\"}"),
                new Route("DELETE", "/api/subscriptions/acl-gone-" + suffix, null),
                new Route("GET", "/api/admin/stats", null),
                new Route("GET", "/api/admin/keys", null),
                new Route("POST", "/api/admin/keys", "{\"name\": \"x\", \"roles\": [\"read\"]}"),
                new Route("DELETE", "/api/admin/keys/" + UUID.randomUUID(), null));
    }

    private static ApiClient.Reply call(ApiClient client, Route route, String... headers) {
        return switch (route.method()) {
            case "GET" -> client.get(route.path(), headers);
            case "DELETE" -> client.delete(route.path(), headers);
            case "PUT" -> client.putJson(route.path(), route.body(), headers);
            default -> client.postJson(route.path(), route.body(), headers);
        };
    }

    private long eventCount() {
        return admin.get("/api/admin/stats").json().get("events").asLong();
    }

    /** What the table says a role may do: the roles, any of which a route needs. */
    private static String needed(Route route) {
        if (route.path().startsWith("/api/admin")) {
            return "admin";
        }
        if (route.method().equals("GET")) {
            return "read";
        }
        if (route.method().equals("POST") && route.path().startsWith("/api/subscriptions/") && route.path().endsWith("/ack")) {
            return "read";
        }
        if (route.path().startsWith("/api/streams") || route.path().startsWith("/api/orders")) {
            return "write";
        }
        return "admin";
    }

    @Nested
    @DisplayName("without a valid token")
    class Unauthenticated {

        @Test
        @DisplayName("every route under /api is a 401 problem with WWW-Authenticate: Bearer, and nothing is stored")
        void everyRoute() {
            long before = eventCount();
            for (Route route : routes()) {
                var reply = call(admin.anonymous(), route);
                reply.assertProblem(401, "/unauthenticated");
                assertThat(reply.header("WWW-Authenticate")).as(route.toString()).isEqualTo("Bearer");
            }
            assertThat(eventCount()).isEqualTo(before);
        }

        @Test
        @DisplayName("whatever the header holds, a 401, never a 500")
        void hostileHeaders() {
            String none = Base64.getUrlEncoder().withoutPadding().encodeToString(
                    "{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                    + Base64.getUrlEncoder().withoutPadding().encodeToString(
                    "{\"sub\":\"mallory\",\"roles\":[\"admin\"],\"exp\":4102444800}".getBytes(StandardCharsets.UTF_8)) + ".";
            List<String> headers = List.of("Bearer", "Bearer ", "Bearer " + "a".repeat(6000), "Bearer !!!.@@@.###",
                    "Bearer " + none, "Bearer pges_" + "x".repeat(43), "Basic dXNlcjpwYXNz", "bearer",
                    "Bearer a.b.c", "Bearer " + ApiClient.TEST_ADMIN_KEY + "x", "Token " + ApiClient.TEST_ADMIN_KEY);
            for (String header : headers) {
                var reply = admin.anonymous().get("/api/events?after=0", "Authorization", header);
                assertThat(reply.status()).as(header.length() > 80 ? header.substring(0, 80) : header).isEqualTo(401);
                assertThat(reply.contentType()).startsWith("application/problem+json");
            }
        }

        @Test
        @DisplayName("the health checks, metrics, API document and event browser stay open; health details only for a caller")
        void openRoutes() {
            var health = admin.anonymous().get("/health");
            assertThat(health.status()).isEqualTo(200);
            assertThat(health.json().has("details")).as("no details for anonymous callers").isFalse();
            assertThat(admin.get("/health").json().has("details")).isTrue();
            assertThat(admin.anonymous().get("/health/liveness").status()).isEqualTo(200);
            assertThat(admin.anonymous().get("/health/readiness").status()).isEqualTo(200);
            assertThat(admin.anonymous().get("/prometheus").body()).contains("eventstore_auth_failures_total");
            assertThat(admin.anonymous().get("/swagger/pg-eventstore-0.1.yml").status()).isEqualTo(200);
            assertThat(admin.anonymous().get("/ui/index.html").status()).isEqualTo(200);
        }
    }

    @Nested
    @DisplayName("roles")
    class Roles {

        @Test
        @DisplayName("read, write and admin each reach what the table gives them; elsewhere a 403 naming the role; nothing stored")
        void table() {
            Map<String, ApiClient> callers = Map.of("read", reader, "write", writer);
            for (var caller : callers.entrySet()) {
                for (Route route : routes()) {
                    long before = eventCount();
                    var reply = call(caller.getValue(), route);
                    if (needed(route).equals(caller.getKey())) {
                        assertThat(reply.status()).as("%s as %s: %s", route, caller.getKey(), reply.body())
                                .isNotIn(401, 403);
                    } else {
                        reply.assertProblem(403, "/forbidden");
                        assertThat(reply.json().get("missingRoles").toString()).as(route.toString()).contains(needed(route));
                        assertThat(eventCount()).as("%s as %s stored nothing", route, caller.getKey()).isEqualTo(before);
                    }
                }
            }
            for (Route route : routes()) {
                assertThat(call(admin, route).status()).as("%s as admin", route).isNotIn(401, 403);
            }
        }

        @Test
        @DisplayName("events record the caller as userId; X-User-Id is recorded as onBehalfOf only for the impersonate role")
        void whoDidIt() {
            String stream = "/api/streams/who-" + suffix;
            String body = "{\"events\": [{\"type\": \"Done\", \"data\": {}, \"metadata\": {\"userId\": \"forged\"}}]}";
            assertThat(writer.postJson(stream + "/events", body, "X-User-Id", "someone-else").status()).isEqualTo(201);
            assertThat(impersonator.postJson(stream + "/events", body, "X-User-Id", "end-user-42").status()).isEqualTo(201);
            JsonNode events = admin.get(stream).json().get("events");
            assertThat(events.get(0).get("metadata").get("userId").asText()).isEqualTo("writer-" + suffix);
            assertThat(events.get(0).get("metadata").has("onBehalfOf")).isFalse();
            assertThat(events.get(1).get("metadata").get("userId").asText()).isEqualTo("gateway-" + suffix);
            assertThat(events.get(1).get("metadata").get("onBehalfOf").asText()).isEqualTo("end-user-42");
        }
    }

    @Nested
    @DisplayName("keys limited to categories")
    class Categories {

        @Test
        @DisplayName("append and read their own categories; other streams, orders and other categories of the feed are a 403")
        void ownCategoriesOnly() {
            String payment = "/api/streams/payment-" + suffix;
            assertThat(paymentsOnly.postJson(payment + "/events", "{\"events\": [{\"type\": \"Paid\", \"data\": {}}]}")
                    .status()).isEqualTo(201);
            assertThat(paymentsOnly.get(payment).status()).isEqualTo(200);
            long before = eventCount();
            var refused = paymentsOnly.postJson("/api/streams/acl-" + suffix + "/events",
                    "{\"events\": [{\"type\": \"Tried\", \"data\": {}}]}");
            refused.assertProblem(403, "/forbidden");
            assertThat(refused.json().get("missingCategory").asText()).isEqualTo("acl");
            assertThat(eventCount()).isEqualTo(before);
            paymentsOnly.get("/api/streams/acl-" + suffix).assertProblem(403, "/forbidden");
            paymentsOnly.get("/api/orders?limit=5").assertProblem(403, "/forbidden");
            paymentsOnly.get("/api/orders/" + orderId).assertProblem(403, "/forbidden");
            paymentsOnly.postJson("/api/orders", PLACE).assertProblem(403, "/forbidden");
            paymentsOnly.get("/api/events?after=0&category=acl").assertProblem(403, "/forbidden");
        }

        @Test
        @DisplayName("the stream list shows a limited key only its categories; asking for another is a 403")
        void streamListIsFiltered() {
            assertThat(paymentsOnly.postJson("/api/streams/payment-list-" + suffix + "/events",
                    "{\"events\": [{\"type\": \"Paid\", \"data\": {}}]}").status()).isEqualTo(201);
            List<String> listed = new java.util.ArrayList<>();
            String after = "";
            while (after != null) {
                JsonNode page = paymentsOnly.get("/api/streams?limit=50&after=" + after).json();
                page.get("streams").forEach(stream -> listed.add(stream.get("streamId").asText()));
                after = page.get("next").isNull() ? null : page.get("next").asText();
            }
            assertThat(listed).contains("payment-list-" + suffix).allSatisfy(id -> assertThat(id).startsWith("payment-"));
            paymentsOnly.get("/api/streams?category=acl").assertProblem(403, "/forbidden");
            JsonNode acl = admin.get("/api/streams?category=acl&limit=1000").json().get("streams");
            assertThat(acl).extracting(stream -> stream.get("streamId").asText()).contains("acl-" + suffix);
        }

        @Test
        @DisplayName("the feed shows a limited key only its categories, in order")
        void feedIsFiltered() {
            long after = 0;
            int seen = 0;
            while (true) {
                JsonNode page = ordersReader.get("/api/events?limit=500&after=" + after).json();
                for (JsonNode event : page.get("events")) {
                    assertThat(event.get("streamId").asText()).startsWith("order-");
                    seen++;
                }
                if (page.get("events").isEmpty()) {
                    break;
                }
                after = page.get("next").asLong();
            }
            assertThat(seen).isPositive();
            JsonNode mine = paymentsOnly.get("/api/events?after=0&limit=1000").json().get("events");
            for (JsonNode event : mine) {
                assertThat(event.get("streamId").asText()).startsWith("payment-");
            }
            assertThat(ordersReader.get("/api/orders?limit=5").status()).isEqualTo(200);
            assertThat(ordersReader.get("/api/orders/" + orderId).status()).isEqualTo(200);
        }
    }

    @Nested
    @DisplayName("subscriptions and keys limited to categories")
    class LimitedSubscriptions {

        @Test
        @DisplayName("a limited key lists, polls and acknowledges only subscriptions of its categories; others, and "
                + "one without a category, are a 403")
        void useOnlyOwn() {
            var listed = paymentsOnly.get("/api/subscriptions").json();
            assertThat(listed).isNotEmpty();
            listed.forEach(subscription -> assertThat(subscription.get("category").asText()).isEqualTo("payment"));
            assertThat(paymentsOnly.get("/api/subscriptions/payment-sub-" + suffix + "/events?wait=0").status()).isEqualTo(200);
            assertThat(paymentsOnly.postJson("/api/subscriptions/payment-sub-" + suffix + "/ack", "{\"position\": 0}").status())
                    .isEqualTo(204);
            var other = paymentsOnly.get("/api/subscriptions/order-sub-" + suffix + "/events?wait=0");
            other.assertProblem(403, "/forbidden");
            assertThat(other.json().get("missingCategory").asText()).isEqualTo("order");
            paymentsOnly.get("/api/subscriptions/all-sub-" + suffix).assertProblem(403, "/forbidden");
            paymentsOnly.postJson("/api/subscriptions/all-sub-" + suffix + "/ack", "{\"position\": 0}")
                    .assertProblem(403, "/forbidden");
            assertThat(ordersReader.get("/api/subscriptions/order-sub-" + suffix + "/events?wait=0").status()).isEqualTo(200);
        }

        @Test
        @DisplayName("an admin key limited to a category creates and deletes only subscriptions of it")
        void createOnlyOwn() {
            ApiClient paymentsAdmin = key("payments-admin", "[\"admin\"]", "[\"payment\"]");
            String name = "/api/subscriptions/limited-" + suffix;
            paymentsAdmin.putJson(name, "{\"category\": \"order\", \"startFrom\": \"end\"}").assertProblem(403, "/forbidden");
            paymentsAdmin.putJson(name, "{\"startFrom\": \"end\"}").assertProblem(403, "/forbidden");
            assertThat(admin.get(name).status()).as("nothing stored").isEqualTo(404);
            assertThat(paymentsAdmin.putJson(name, "{\"category\": \"payment\", \"startFrom\": \"end\"}").status())
                    .isEqualTo(201);
            paymentsAdmin.delete("/api/subscriptions/order-sub-" + suffix).assertProblem(403, "/forbidden");
            assertThat(paymentsAdmin.delete(name).status()).isEqualTo(204);
        }
    }

    @Nested
    @DisplayName("a category owned by an aggregate")
    class OwnedCategory {

        @Test
        @DisplayName("the README's old first request is refused with 403 /category-owned, and the projection keeps running")
        void genericAppendToOrders() throws Exception {
            long before = eventCount();
            var refused = admin.postJson("/api/streams/order-42/events", """
                    {"expectedVersion": 0, "events": [{"eventId": "6f1c2a3e-8b4d-4e5f-9a0b-1c2d3e4f5a6b",
                     "type": "OrderPlaced", "data": {"total": 44.98}}]}""");
            refused.assertProblem(403, "/category-owned");
            assertThat(refused.json().get("detail").asText()).contains("POST /api/orders");
            assertThat(eventCount()).isEqualTo(before);
            assertThat(admin.get("/api/streams/order-" + orderId).status()).as("reading stays open").isEqualTo(200);

            var placed = admin.postJson("/api/orders", PLACE);
            long position = placed.json().get("position").asLong();
            var listed = admin.get("/api/orders?customerId=cust-acl&limit=100&minPosition=" + position);
            assertThat(listed.status()).as(listed.body()).isEqualTo(200);
            assertThat(admin.get("/api/projections/orders").json().get("status").asText()).isEqualTo("running");
        }
    }

    @Nested
    @DisplayName("keys")
    class Keys {

        @Test
        @DisplayName("a key is shown once, listed without its secret, and refused once revoked")
        void lifecycle() {
            var created = admin.postJson("/api/admin/keys", "{\"name\": \"short-lived-" + suffix + "\", \"roles\": [\"read\"]}");
            assertThat(created.status()).isEqualTo(201);
            String secret = created.json().get("key").asText();
            String id = created.json().get("id").asText();
            assertThat(admin.withToken(secret).get("/api/events?after=0&limit=1").status()).isEqualTo(200);
            String listed = admin.get("/api/admin/keys").body();
            assertThat(listed).contains(id).doesNotContain(secret);

            assertThat(admin.delete("/api/admin/keys/" + id).status()).isEqualTo(204);
            admin.withToken(secret).get("/api/events?after=0&limit=1").assertProblem(401, "/unauthenticated");
            admin.delete("/api/admin/keys/" + UUID.randomUUID()).assertProblem(404, "/key-not-found");
        }

        @Test
        @DisplayName("invalid key requests are a 422 naming the field")
        void invalidRequests() {
            for (String body : List.of("{\"roles\": [\"read\"]}", "{\"name\": \"x\"}", "{\"name\": \"x\", \"roles\": [\"root\"]}",
                    "{\"name\": \"x\", \"roles\": \"read\"}", "{\"name\": \"x\", \"roles\": [\"read\"], \"categories\": [\"a-b\"]}",
                    "{\"name\": \"x\", \"roles\": [\"read\"], \"extra\": 1}")) {
                admin.postJson("/api/admin/keys", body).assertProblem(422, "/validation-failed");
            }
        }
    }
}
