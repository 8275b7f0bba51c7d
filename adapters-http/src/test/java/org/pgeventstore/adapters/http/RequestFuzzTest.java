package org.pgeventstore.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.pgeventstore.application.eventstore.EventFilter;
import org.pgeventstore.application.eventstore.EventStore;
import org.pgeventstore.application.eventstore.FeedPage;
import org.pgeventstore.application.eventstore.RecordedEvent;

/**
 * Fuzzes the JSON-to-command path: valid command bodies mutated field by field (values replaced
 * by other JSON of every kind, fields dropped or added), and random bytes. Whatever arrives, the
 * answer is a success or a 4xx problem+json, never a 5xx; a refusal or a re-send stores nothing,
 * and a success stores exactly what the body asked for.
 */
class RequestFuzzTest {

    // Decimals read as written, so that what was sent compares exactly with what was stored.
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<String> VALID = List.of(
            """
            {"customerId": "c-1", "currency": "EUR",
             "lineItems": [{"productId": "p", "sku": "s", "name": "n", "quantity": 2, "unitPrice": 12.50}],
             "shippingAddress": {"line1": "l", "city": "c", "country": "US", "postalCode": "1"}}""",
            """
            {"expectedVersion": "any", "events": [{"eventId": "6f1c2b9e-3d4a-4e5f-9a8b-7c6d5e4f3a2b", "type": "T",
             "schemaVersion": 1, "data": {"a": 1}, "metadata": {"m": "x"}}]}""");
    private static final List<String> ROUTES = List.of("/api/orders", "/api/streams/fuzz-1/events");

    private static final List<String> REQUEST_METADATA_KEYS = List.of("correlationId", "causationId", "userId", "onBehalfOf");
    private static final Comparator<JsonNode> BY_VALUE = (a, b) -> a.isNumber() && b.isNumber()
            ? a.decimalValue().compareTo(b.decimalValue()) : a.equals(b) ? 0 : 1;

    private static EmbeddedServer server;
    private static ApiClient api;
    private static EventStore store;
    /** The position of the last event stored before the current try. */
    private static long head;

    @BeforeContainer
    static void start() {
        server = ApplicationContext.run(EmbeddedServer.class, StreamApiTest.ENVIRONMENT);
        api = new ApiClient(server.getURI());
        store = server.getApplicationContext().getBean(EventStore.class);
    }

    @AfterContainer
    static void stop() {
        server.close();
    }

    private static void assertHandled(ApiClient.Reply reply) {
        assertThat(reply.status()).as(reply.body()).isLessThan(500);
        if (reply.status() >= 400) {
            assertThat(reply.contentType()).startsWith("application/problem+json");
        }
    }

    /** The events stored since the last try; moves {@link #head} past them. */
    private static List<RecordedEvent> storedSinceLastTry() {
        List<RecordedEvent> added = new ArrayList<>();
        while (true) {
            FeedPage page = store.readAll(head, 100, EventFilter.ALL);
            if (page.events().isEmpty()) {
                return added;
            }
            added.addAll(page.events());
            head = page.next();
        }
    }

    /** A 201 stored what {@code body} asked for and nothing else; any other answer stored nothing. */
    private static void assertStoredExactly(String route, String body, ApiClient.Reply reply) throws Exception {
        List<RecordedEvent> added = storedSinceLastTry();
        if (reply.status() != 201) {
            assertThat(added).as("a %d stores nothing: %s", reply.status(), reply.body()).isEmpty();
            return;
        }
        JsonNode request = JSON.readTree(body);
        JsonNode result = reply.json();
        if (route.equals("/api/orders")) {
            assertThat(added).as("a placement stores one event").hasSize(1);
            RecordedEvent placed = added.getFirst();
            assertThat(placed.type()).isEqualTo("OrderPlaced");
            assertThat(placed.streamId()).isEqualTo("order-" + result.get("id").asText());
            JsonNode data = JSON.readTree(placed.data());
            assertThat(data.get("customerId")).isEqualTo(request.get("customerId"));
            assertThat(data.get("currency").asText()).isEqualTo(request.has("currency") && !request.get("currency").isNull()
                    ? request.get("currency").asText() : "USD");
            assertThat(data.get("shippingAddress").equals(BY_VALUE, withoutNulls(request.get("shippingAddress"))))
                    .as("%s stored for %s", data.get("shippingAddress"), request.get("shippingAddress")).isTrue();
            assertThat(data.get("lineItems")).hasSameSizeAs(request.get("lineItems"));
            for (int i = 0; i < request.get("lineItems").size(); i++) {
                JsonNode sent = request.get("lineItems").get(i);
                JsonNode stored = data.get("lineItems").get(i);
                for (String field : List.of("productId", "sku", "name", "quantity", "unitPrice")) {
                    assertThat(stored.get(field).equals(BY_VALUE, sent.get(field)))
                            .as("lineItems[%d].%s: %s stored for %s", i, field, stored.get(field), sent.get(field)).isTrue();
                }
            }
            return;
        }
        JsonNode events = request.get("events");
        assertThat(added).as("an append stores its events").hasSize(events.size());
        assertThat(result.get("firstPosition").asLong()).isEqualTo(added.getFirst().position());
        assertThat(result.get("lastPosition").asLong()).isEqualTo(added.getLast().position());
        for (int i = 0; i < events.size(); i++) {
            JsonNode sent = events.get(i);
            RecordedEvent stored = added.get(i);
            assertThat(stored.streamId()).isEqualTo(route.split("/")[3]);
            assertThat(stored.version()).isEqualTo(result.get("firstVersion").asLong() + i);
            if (sent.hasNonNull("eventId")) {
                assertThat(stored.eventId()).hasToString(sent.get("eventId").asText().toLowerCase(java.util.Locale.ROOT));
            }
            assertThat(stored.type()).isEqualTo(sent.get("type").asText());
            assertThat(stored.schemaVersion()).isEqualTo(sent.hasNonNull("schemaVersion") ? sent.get("schemaVersion").asInt() : 1);
            assertThat(JSON.readTree(stored.data()).equals(BY_VALUE, sent.get("data")))
                    .as("data %s stored for %s", stored.data(), sent.get("data")).isTrue();
            JsonNode sentMetadata = sent.hasNonNull("metadata") ? sent.get("metadata").deepCopy() : NODES.objectNode();
            JsonNode storedMetadata = JSON.readTree(stored.metadata());
            ((ObjectNode) sentMetadata).remove(REQUEST_METADATA_KEYS);
            ((ObjectNode) storedMetadata).remove(REQUEST_METADATA_KEYS);
            assertThat(storedMetadata.equals(BY_VALUE, sentMetadata))
                    .as("metadata %s stored for %s", stored.metadata(), sent.get("metadata")).isTrue();
        }
    }

    private static JsonNode withoutNulls(JsonNode object) {
        ObjectNode copy = object.deepCopy();
        List<String> nulls = new ArrayList<>();
        copy.properties().forEach(member -> {
            if (member.getValue().isNull()) {
                nulls.add(member.getKey());
            }
        });
        copy.remove(nulls);
        return copy;
    }

    @Property(tries = 300)
    void mutatedCommandBodiesNeverFailTheServer(@ForAll("mutatedBodies") RouteAndBody request) throws Exception {
        storedSinceLastTry();
        var reply = api.postJson(request.route(), request.body());
        assertHandled(reply);
        assertStoredExactly(request.route(), request.body(), reply);
    }

    @Property(tries = 200)
    void randomBytesNeverFailTheServer(@ForAll("routes") String route, @ForAll byte[] body) {
        storedSinceLastTry();
        var reply = api.postBytes(route, "application/json", body);
        assertHandled(reply);
        assertThat(reply.status()).as("random bytes are no command: " + reply.body()).isGreaterThanOrEqualTo(400);
        assertThat(storedSinceLastTry()).as("a refusal stores nothing").isEmpty();
    }

    @Property(tries = 100)
    void withoutCredentialsEveryBodyIsRefusedUnread(@ForAll("mutatedBodies") RouteAndBody request) {
        storedSinceLastTry();
        var reply = api.anonymous().postJson(request.route(), request.body());
        assertThat(reply.status()).as(reply.body()).isEqualTo(401);
        assertThat(reply.contentType()).startsWith("application/problem+json");
        assertThat(storedSinceLastTry()).as("a refusal stores nothing").isEmpty();
    }

    record RouteAndBody(String route, String body) {
    }

    @Provide
    Arbitrary<String> routes() {
        return Arbitraries.of(ROUTES);
    }

    @Provide
    Arbitrary<RouteAndBody> mutatedBodies() {
        return Combinators.combine(Arbitraries.integers().between(0, VALID.size() - 1),
                        Arbitraries.integers().between(0, 1000), anyJson(), Arbitraries.integers().between(0, 2))
                .as((which, pick, replacement, kind) -> new RouteAndBody(ROUTES.get(which),
                        mutate(VALID.get(which), pick, replacement, kind)));
    }

    private static String mutate(String valid, int pick, JsonNode replacement, int kind) {
        try {
            ObjectNode root = (ObjectNode) JSON.readTree(valid);
            List<ObjectNode> objects = new java.util.ArrayList<>();
            collectObjects(root, objects);
            ObjectNode target = objects.get(pick % objects.size());
            List<String> names = new java.util.ArrayList<>();
            target.fieldNames().forEachRemaining(names::add);
            String field = names.get(pick % names.size());
            switch (kind) {
                case 0 -> target.set(field, replacement);
                case 1 -> target.remove(field);
                default -> target.set("unexpected" + pick, replacement);
            }
            return JSON.writeValueAsString(root);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void collectObjects(JsonNode node, List<ObjectNode> into) {
        if (node instanceof ObjectNode object) {
            into.add(object);
        }
        for (Iterator<JsonNode> children = node.elements(); children.hasNext(); ) {
            collectObjects(children.next(), into);
        }
    }

    private static Arbitrary<JsonNode> anyJson() {
        Arbitrary<JsonNode> scalars = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(300).map(NODES::textNode),
                Arbitraries.longs().map(NODES::numberNode),
                Arbitraries.bigDecimals().map(NODES::numberNode),
                Arbitraries.doubles().map(NODES::numberNode),
                Arbitraries.of(true, false).map(NODES::booleanNode),
                Arbitraries.just(NODES.nullNode()),
                Arbitraries.of("0", "-1", "9999999999999999999999", "1e308", "\u0000", "'; DROP TABLE events; --",
                        "<script>alert(1)</script>", "../../etc/passwd", "USD", "any", "exists").map(NODES::textNode));
        return Arbitraries.oneOf(scalars,
                scalars.list().ofMaxSize(5).map(values -> {
                    ArrayNode array = NODES.arrayNode();
                    values.forEach(array::add);
                    return (JsonNode) array;
                }),
                scalars.map(value -> (JsonNode) NODES.objectNode().set("x", value)));
    }
}
