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
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.pgeventstore.application.eventstore.EventFilter;
import org.pgeventstore.application.eventstore.EventStore;
import org.pgeventstore.application.eventstore.RecordedEvent;

/**
 * A corpus of hostile requests ({@link HostileCorpus}) against every write route, addressed to an
 * order that exists and a stream that has events: each gets a 4xx problem+json, the store holds
 * exactly what it held before, and the service still answers a valid request afterwards.
 */
@MicronautTest(environments = StreamApiTest.ENVIRONMENT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileInputTest {

    @Inject
    EmbeddedServer server;

    @Inject
    EventStore store;

    ApiClient api;
    List<RecordedEvent> before;
    String orderId;

    @BeforeEach
    void setUp() {
        api = new ApiClient(server.getURI());
        if (orderId == null) {
            var placed = api.postJson("/api/orders", HostileCorpus.PLACE_ORDER);
            assertThat(placed.status()).as(placed.body()).isEqualTo(201);
            orderId = placed.json().get("id").asText();
            var appended = api.postJson("/api/streams/" + HostileCorpus.STREAM + "/events", HostileCorpus.FIRST_APPEND);
            assertThat(appended.status()).as(appended.body()).isEqualTo(201);
        }
        before = storedEvents();
    }

    private List<RecordedEvent> storedEvents() {
        return store.readAll(0, 1_000_000, EventFilter.ALL).events();
    }

    @AfterEach
    void nothingStoredAndStillHealthy() {
        assertThat(storedEvents()).as("a hostile request must store nothing").isEqualTo(before);
        var valid = api.postJson("/api/streams/healthy-" + UUID.randomUUID() + "/events",
                "{\"events\": [{\"type\": \"Ok\", \"data\": {}}]}");
        assertThat(valid.status()).as("the service still serves valid requests").isEqualTo(201);
    }

    @ParameterizedTest(name = "{0} <- {1}")
    @MethodSource("org.pgeventstore.adapters.http.HostileCorpus#cases")
    @DisplayName("hostile bodies on every write route of an existing order and stream: 4xx problem+json")
    void hostileBodies(String route, HostileCorpus.Body body) {
        var reply = api.postBytes(HostileCorpus.route(route, orderId), body.contentType(), body.bytes());
        assertThat(reply.status()).as(reply.body()).isBetween(400, 499);
        assertThat(reply.contentType()).startsWith("application/problem+json");
    }

    @ParameterizedTest(name = "{0} <- {1}")
    @MethodSource("org.pgeventstore.adapters.http.HostileCorpus#cases")
    @DisplayName("hostile bodies without credentials: 401 problem+json before the body is looked at")
    void hostileBodiesWithoutCredentials(String route, HostileCorpus.Body body) {
        var reply = api.anonymous().postBytes(HostileCorpus.route(route, orderId), body.contentType(), body.bytes());
        assertThat(reply.status()).as(reply.body()).isIn(401, 413);
        assertThat(reply.contentType()).startsWith("application/problem+json");
    }

    @Test
    @DisplayName("text that no store can keep (U+0000, half a surrogate pair) is a 422 naming its field")
    void unstorableTextNamesItsField() {
        var nul = api.postJson("/api/streams/" + HostileCorpus.STREAM + "/events",
                "{\"events\": [{\"type\": \"T\", \"data\": {\"note\": [\"ok\", \"a\\u0000b\"]}}]}");
        nul.assertProblem(422, "/validation-failed");
        assertThat(nul.json().get("invalidParams").get(0).get("name").asText()).isEqualTo("events[0].data.note[1]");
        var surrogate = api.postJson("/api/orders/" + orderId + "/items",
                "{\"productId\": \"p\", \"sku\": \"s\", \"name\": \"\\ud800x\", \"quantity\": 1, \"unitPrice\": 1}");
        surrogate.assertProblem(422, "/validation-failed");
        assertThat(surrogate.json().get("invalidParams").get(0).get("name").asText()).isEqualTo("name");
        var pair = api.postJson("/api/streams/" + HostileCorpus.STREAM + "/events",
                "{\"events\": [{\"type\": \"T\", \"data\": {\"\\ud83d\\ude00\": \"\\ud83d\\ude00\"}}]}");
        assertThat(pair.status()).as("a whole pair is text like any other: " + pair.body()).isEqualTo(201);
        before = storedEvents(); // the one event this test means to store
    }

    static Stream<String> hostilePaths() {
        String unknownOrder = "6f1c2b9e-3d4a-4e5f-9a8b-7c6d5e4f3a2b";
        return Stream.of("/api/orders/..%2F..%2Fetc%2Fpasswd", "/api/orders/%00", "/api/orders/' OR 1=1 --".replace(" ", "%20"),
                "/api/orders/" + "9".repeat(5000), "/api/streams/..%2Fevents", "/api/streams/%3Cscript%3E",
                "/api/streams/a%00b", "/api/events?after=99999999999999999999", "/api/events?limit=-1",
                "/api/orders/" + unknownOrder + "?version=abc", "/api/orders/" + unknownOrder + "?asOf=yesterday");
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
        ApiContract.check("POST", request.uri(), response.statusCode(), response.body(), response.headers());
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
