package org.pgeventstore.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.pgeventstore.application.eventstore.EventFilter;
import org.pgeventstore.application.eventstore.EventStore;

/** Order command bodies of the wrong shape or out of bounds: a 422 naming the field, nothing appended. */
@MicronautTest(environments = StreamApiTest.ENVIRONMENT)
class OrderRequestValidationTest {

    private static final String ITEM = "{\"productId\": \"p\", \"sku\": \"s\", \"name\": \"n\", \"quantity\": %s, \"unitPrice\": %s}";
    private static final String ADDRESS = "{\"line1\": \"l\", \"city\": \"c\", \"country\": \"US\", \"postalCode\": \"1\"}";

    @Inject
    EmbeddedServer server;

    @Inject
    EventStore store;

    ApiClient api;

    @BeforeEach
    void setUp() {
        api = new ApiClient(server.getURI());
    }

    private static String order(String quantity, String unitPrice) {
        return "{\"customerId\": \"c-1\", \"lineItems\": [" + ITEM.formatted(quantity, unitPrice) + "], \"shippingAddress\": "
                + ADDRESS + "}";
    }

    @ParameterizedTest(name = "quantity {0}, unitPrice {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "0|10.00|lineItems[0].quantity",
            "-3|10.00|lineItems[0].quantity",
            "1.5|10.00|lineItems[0].quantity",
            "\"2\"|10.00|lineItems[0].quantity",
            "99999999999999|10.00|lineItems[0].quantity",
            "null|10.00|lineItems[0].quantity",
            "1|0|lineItems[0].unitPrice",
            "1|-1.00|lineItems[0].unitPrice",
            "1|1.999|lineItems[0].unitPrice",
            "1|\"ten\"|lineItems[0].unitPrice",
            "1|1e400|lineItems[0].unitPrice"})
    @DisplayName("line items with bad quantities or prices are rejected field by field")
    void badLineItems(String quantity, String unitPrice, String field) {
        long before = store.readAll(0, 100_000, EventFilter.ALL).events().size();
        var reply = api.postJson("/api/orders", order(quantity, unitPrice));
        assertThat(reply.status()).as(reply.body()).isEqualTo(422);
        assertThat(reply.contentType()).startsWith("application/problem+json");
        assertThat(reply.body()).contains(field);
        assertThat(store.readAll(0, 100_000, EventFilter.ALL).events()).hasSize((int) before);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "{\"customerId\": \"c\", \"lineItems\": [], \"shippingAddress\": " + ADDRESS + "}|lineItems",
            "{\"customerId\": \"c\", \"lineItems\": [null], \"shippingAddress\": " + ADDRESS + "}|lineItems[0]",
            "{\"lineItems\": [{\"productId\": \"p\", \"sku\": \"s\", \"name\": \"n\", \"quantity\": 1, \"unitPrice\": 1}], \"shippingAddress\": " + ADDRESS + "}|customerId",
            "{\"customerId\": \"c\", \"lineItems\": [{\"productId\": \"p\", \"sku\": \"s\", \"name\": \"n\", \"quantity\": 1, \"unitPrice\": 1}]}|shippingAddress",
            "{\"customerId\": \"c\", \"coupon\": \"FREE\", \"lineItems\": [], \"shippingAddress\": " + ADDRESS + "}|coupon",
            "{\"customerId\": 42, \"lineItems\": [{\"productId\": \"p\", \"sku\": \"s\", \"name\": \"n\", \"quantity\": 1, \"unitPrice\": 1}], \"shippingAddress\": " + ADDRESS + "}|customerId",
            "{\"customerId\": \"c\", \"lineItems\": [{\"productId\": true, \"sku\": \"s\", \"name\": \"n\", \"quantity\": 1, \"unitPrice\": 1}], \"shippingAddress\": " + ADDRESS + "}|lineItems[0].productId",
            "{\"customerId\": \"c\", \"lineItems\": [{\"productId\": \"p\", \"sku\": 1.5, \"name\": \"n\", \"quantity\": 1, \"unitPrice\": 1}], \"shippingAddress\": " + ADDRESS + "}|lineItems[0].sku",
            "[]|body"})
    @DisplayName("missing, empty, unknown, misplaced or wrongly typed fields are named")
    void badShapes(String body, String field) {
        var reply = api.postJson("/api/orders", body);
        assertThat(reply.status()).as(reply.body()).isEqualTo(422);
        assertThat(reply.json().get("invalidParams").toString()).contains("\"" + field);
    }
}
