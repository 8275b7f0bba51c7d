package org.pgeventstore.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.pgeventstore.application.eventstore.EventFilter;
import org.pgeventstore.application.eventstore.EventStore;

/**
 * A corpus of hostile requests against every write route: each gets a 4xx problem+json, nothing
 * is stored, and the service still answers a valid request afterwards.
 */
@MicronautTest(environments = StreamApiTest.ENVIRONMENT)
class HostileInputTest {

    private static final String ORDER_ID = "6f1c2b9e-3d4a-4e5f-9a8b-7c6d5e4f3a2b";
    private static final List<String> ROUTES = List.of(
            "/api/streams/hostile-1/events",
            "/api/orders",
            "/api/orders/" + ORDER_ID + "/items",
            "/api/orders/" + ORDER_ID + "/payment",
            "/api/orders/" + ORDER_ID + "/shipment",
            "/api/orders/" + ORDER_ID + "/delivery",
            "/api/orders/" + ORDER_ID + "/cancellation");

    @Inject
    EmbeddedServer server;

    @Inject
    EventStore store;

    ApiClient api;
    long eventsBefore;

    @BeforeEach
    void setUp() {
        api = new ApiClient(server.getURI());
        eventsBefore = storedEvents();
    }

    private long storedEvents() {
        return store.readAll(0, 1_000_000, EventFilter.ALL).events().size();
    }

    @AfterEach
    void nothingStoredAndStillHealthy() {
        assertThat(storedEvents()).as("a hostile request must store nothing").isEqualTo(eventsBefore);
        var valid = api.postJson("/api/streams/healthy-" + UUID.randomUUID() + "/events",
                "{\"events\": [{\"type\": \"Ok\", \"data\": {}}]}");
        assertThat(valid.status()).as("the service still serves valid requests").isEqualTo(201);
        eventsBefore = storedEvents();
    }

    record Body(String name, String contentType, byte[] bytes) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Body json(String name, String text) {
        return new Body(name, "application/json", text.getBytes(StandardCharsets.UTF_8));
    }

    static Stream<Arguments> corpus() {
        List<Body> bodies = new ArrayList<>();
        bodies.add(json("empty", ""));
        bodies.add(json("truncated object", "{\"events\": [{\"type\": \"T\", \"data\": {"));
        bodies.add(json("truncated string", "{\"customerId\": \"abc"));
        bodies.add(json("bare word", "undefined"));
        bodies.add(json("single quotes", "{'events': []}"));
        bodies.add(json("trailing comma", "{\"events\": [],}"));
        bodies.add(json("comments", "/* x */ {}"));
        bodies.add(json("NaN", "{\"amount\": NaN}"));
        bodies.add(json("10,000 nested arrays", "[".repeat(10_000) + "]".repeat(10_000)));
        bodies.add(json("10,000 nested objects", "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000)));
        bodies.add(json("JSON null", "null"));
        bodies.add(json("JSON array", "[]"));
        bodies.add(json("JSON number", "12"));
        bodies.add(json("huge number", "{\"amount\": 1" + "0".repeat(5000) + ", \"method\": \"card\"}"));
        bodies.add(json("huge exponent", "{\"amount\": 1e999999999, \"method\": \"card\"}"));
        bodies.add(json("negative quantity", "{\"productId\": \"p\", \"sku\": \"s\", \"name\": \"n\", \"quantity\": -1, \"unitPrice\": 1}"));
        bodies.add(json("zero price", "{\"productId\": \"p\", \"sku\": \"s\", \"name\": \"n\", \"quantity\": 1, \"unitPrice\": 0}"));
        bodies.add(json("overflowing quantity", "{\"productId\": \"p\", \"sku\": \"s\", \"name\": \"n\", \"quantity\": 9223372036854775808, \"unitPrice\": 1}"));
        bodies.add(json("huge array", "{\"events\": [" + "1,".repeat(200_000) + "1]}"));
        bodies.add(json("huge string", "{\"reason\": \"" + "x".repeat(2_000_000) + "\", \"cancelledBy\": \"x\"}"));
        bodies.add(json("unknown fields only", "{\"drop\": \"table\", \"__proto__\": {\"admin\": true}}"));
        bodies.add(json("script in type", "{\"events\": [{\"type\": \"<script>alert(1)</script>\", \"data\": {}}]}"));
        bodies.add(json("SQL in type", "{\"events\": [{\"type\": \"x'; DROP TABLE events; --\", \"data\": {}}]}"));
        bodies.add(new Body("invalid UTF-8", "application/json", new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'}));
        bodies.add(new Body("bytes that look like UTF-32", "application/json", new byte[] {0, 0, 1, 0}));
        bodies.add(new Body("UTF-16 body", "application/json", "{\"events\": []}".getBytes(StandardCharsets.UTF_16)));
        bodies.add(new Body("form content type", "application/x-www-form-urlencoded", "events=1".getBytes(StandardCharsets.UTF_8)));
        bodies.add(new Body("text content type", "text/plain", "{}".getBytes(StandardCharsets.UTF_8)));
        bodies.add(new Body("xml content type", "application/xml", "<events/>".getBytes(StandardCharsets.UTF_8)));
        List<Arguments> cases = new ArrayList<>();
        for (String route : ROUTES) {
            for (Body body : bodies) {
                cases.add(Arguments.of(route, body));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} <- {1}")
    @MethodSource("corpus")
    @DisplayName("hostile bodies on every write route: 4xx problem+json")
    void hostileBodies(String route, Body body) {
        var reply = api.postBytes(route, body.contentType(), body.bytes());
        assertThat(reply.status()).as(reply.body()).isBetween(400, 499);
        assertThat(reply.contentType()).startsWith("application/problem+json");
    }

    @ParameterizedTest(name = "{0} <- {1}")
    @MethodSource("corpus")
    @DisplayName("hostile bodies without credentials: 401 problem+json before the body is looked at")
    void hostileBodiesWithoutCredentials(String route, Body body) {
        var reply = api.anonymous().postBytes(route, body.contentType(), body.bytes());
        assertThat(reply.status()).as(reply.body()).isIn(401, 413);
        assertThat(reply.contentType()).startsWith("application/problem+json");
    }

    static Stream<String> hostilePaths() {
        return Stream.of("/api/orders/..%2F..%2Fetc%2Fpasswd", "/api/orders/%00", "/api/orders/' OR 1=1 --".replace(" ", "%20"),
                "/api/orders/" + "9".repeat(5000), "/api/streams/..%2Fevents", "/api/streams/%3Cscript%3E",
                "/api/streams/a%00b", "/api/events?after=99999999999999999999", "/api/events?limit=-1",
                "/api/orders/" + ORDER_ID + "?version=abc", "/api/orders/" + ORDER_ID + "?asOf=yesterday");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostilePaths")
    @DisplayName("hostile paths and parameters: 4xx problem+json")
    void hostilePaths(String path) {
        var reply = api.get(path.length() > 200 ? path.substring(0, 200) : path);
        assertThat(reply.status()).as(reply.body()).isBetween(400, 499);
        assertThat(reply.contentType()).startsWith("application/problem+json");
    }

    @Test
    @DisplayName("a body over the limit sent in chunks, without Content-Length, is a 413")
    void chunkedOversizedBody() throws Exception {
        byte[] big = ("{\"events\": [{\"type\": \"T\", \"data\": {\"s\": \"" + "x".repeat(200_000) + "\"}}]}")
                .getBytes(StandardCharsets.UTF_8);
        var request = HttpRequest.newBuilder(URI.create(server.getURI() + "/api/streams/chunked-1/events"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + ApiClient.TEST_ADMIN_KEY)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big)))
                .build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
    }

    @Test
    @DisplayName("a very long header is refused with a 4xx")
    void longHeader() {
        var reply = api.postJson("/api/streams/long-header/events", "{\"events\": [{\"type\": \"T\", \"data\": {}}]}",
                "X-Correlation-Id", "c".repeat(20_000));
        assertThat(reply.status()).isBetween(400, 499);
    }
}
