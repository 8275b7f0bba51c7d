package org.pgeventstore.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
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

/**
 * Fuzzes the JSON-to-command path: valid command bodies mutated field by field (values replaced
 * by other JSON of every kind, fields dropped or added), and random bytes. Whatever arrives, the
 * answer is a success or a 4xx problem+json, never a 5xx.
 */
class RequestFuzzTest {

    private static final ObjectMapper JSON = new ObjectMapper();
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

    private static EmbeddedServer server;
    private static ApiClient api;

    @BeforeContainer
    static void start() {
        server = ApplicationContext.run(EmbeddedServer.class, StreamApiTest.ENVIRONMENT);
        api = new ApiClient(server.getURI());
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

    @Property(tries = 300)
    void mutatedCommandBodiesNeverFailTheServer(@ForAll("mutatedBodies") RouteAndBody request) {
        assertHandled(api.postJson(request.route(), request.body()));
    }

    @Property(tries = 200)
    void randomBytesNeverFailTheServer(@ForAll("routes") String route, @ForAll byte[] body) {
        assertHandled(api.postBytes(route, "application/json", body));
    }

    @Property(tries = 100)
    void withoutCredentialsEveryBodyIsRefusedUnread(@ForAll("mutatedBodies") RouteAndBody request) {
        var reply = api.anonymous().postJson(request.route(), request.body());
        assertThat(reply.status()).as(reply.body()).isEqualTo(401);
        assertThat(reply.contentType()).startsWith("application/problem+json");
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
