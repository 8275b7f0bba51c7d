package org.pgeventstore.adapters.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Hostile request bodies for every write route, shared by the tests that send them to the API on
 * the in-memory store ({@link HostileInputTest}) and on PostgreSQL (in bootstrap). Every one of
 * them must be refused with a 4xx problem+json and store nothing, also where the order exists and
 * accepts commands: the routes name {@link #ORDER}, an order the test has placed with
 * {@link #PLACE_ORDER}, and {@link #STREAM}, a stream it has appended to.
 */
public final class HostileCorpus {

    /** The order the order routes address, replaced by {@link #route} with a placed order's id. */
    public static final String ORDER = "{order}";
    /** The stream the append route addresses. */
    public static final String STREAM = "hostile-1";
    /** Places the order: one item of 10.00 and the flat shipping fee, a total of 15.00. */
    public static final String PLACE_ORDER = """
            {"customerId": "hostile-customer",
             "lineItems": [{"productId": "p-1", "sku": "SKU-1", "name": "Widget", "quantity": 1, "unitPrice": 10.00}],
             "shippingAddress": {"line1": "1 Main St", "city": "Springfield", "country": "US", "postalCode": "12345"}}""";
    /** The valid append that creates {@link #STREAM}. */
    public static final String FIRST_APPEND = "{\"events\": [{\"type\": \"Opened\", \"data\": {\"n\": 1}}]}";

    private static final List<String> ROUTES = List.of(
            "/api/streams/" + STREAM + "/events",
            "/api/orders",
            "/api/orders/" + ORDER + "/items",
            "/api/orders/" + ORDER + "/payment",
            "/api/orders/" + ORDER + "/shipment",
            "/api/orders/" + ORDER + "/delivery",
            "/api/orders/" + ORDER + "/cancellation");

    private HostileCorpus() {
    }

    public record Body(String name, String contentType, byte[] bytes) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** {@code route} of the corpus, addressed to the order {@code orderId}. */
    public static String route(String route, String orderId) {
        return route.replace(ORDER, orderId);
    }

    /** Every write route with every hostile body, as (route, {@link Body}). */
    public static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (String route : ROUTES) {
            for (Body body : bodies()) {
                cases.add(Arguments.of(route, body));
            }
        }
        return cases.stream();
    }

    private static Body json(String name, String text) {
        return new Body(name, "application/json", text.getBytes(StandardCharsets.UTF_8));
    }

    static List<Body> bodies() {
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
        // Valid but for text that PostgreSQL's jsonb cannot hold: U+0000 and unpaired surrogates.
        bodies.add(json("NUL in event data", "{\"events\": [{\"type\": \"T\", \"data\": {\"s\": \"a\\u0000b\"}}]}"));
        bodies.add(json("NUL in a data member's name", "{\"events\": [{\"type\": \"T\", \"data\": {\"a\\u0000\": 1}}]}"));
        bodies.add(json("NUL in event metadata", "{\"events\": [{\"type\": \"T\", \"data\": {}, \"metadata\": {\"m\": \"\\u0000\"}}]}"));
        bodies.add(json("lone surrogate in event data", "{\"events\": [{\"type\": \"T\", \"data\": {\"s\": \"\\ud800\"}}]}"));
        bodies.add(json("NUL in a customer id", PLACE_ORDER.replace("hostile-customer", "hostile\\u0000customer")));
        bodies.add(json("NUL in an item's name", "{\"productId\": \"p\", \"sku\": \"s\", \"name\": \"a\\u0000b\", \"quantity\": 1, \"unitPrice\": 1}"));
        bodies.add(json("lone surrogate in an item's name", "{\"productId\": \"p\", \"sku\": \"s\", \"name\": \"\\udc00\", \"quantity\": 1, \"unitPrice\": 1}"));
        bodies.add(json("NUL in a payment method", "{\"amount\": 15.00, \"method\": \"c\\u0000rd\"}"));
        bodies.add(json("NUL in a cancellation reason", "{\"reason\": \"\\u0000\", \"cancelledBy\": \"x\"}"));
        bodies.add(new Body("invalid UTF-8", "application/json", new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'}));
        bodies.add(new Body("bytes that look like UTF-32", "application/json", new byte[] {0, 0, 1, 0}));
        bodies.add(new Body("UTF-16 body", "application/json", "{\"events\": []}".getBytes(StandardCharsets.UTF_16)));
        bodies.add(new Body("form content type", "application/x-www-form-urlencoded", "events=1".getBytes(StandardCharsets.UTF_8)));
        bodies.add(new Body("text content type", "text/plain", "{}".getBytes(StandardCharsets.UTF_8)));
        bodies.add(new Body("xml content type", "application/xml", "<events/>".getBytes(StandardCharsets.UTF_8)));
        return bodies;
    }
}
