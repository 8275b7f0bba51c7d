package org.pgeventstore.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.pgeventstore.adapters.http.ApiClient;
import org.pgeventstore.adapters.postgres.PostgresTestDatabase;

/**
 * Orders whose events were stored before the current shapes: raw rows written straight into
 * the events table as the first schema wrote them (OrderPlaced without a currency), then read
 * through the service after the change.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StoredEventFixtureTest implements TestPropertyProvider {

    private static final String INSERT = """
            SELECT outcome FROM append_events(?, 0, ?::uuid[], ?::text[], ?::text[], ?::text[], ?::int[])
            """;

    @Inject
    EmbeddedServer server;

    private final String orderId = UUID.randomUUID().toString();
    private Instant insertedBefore;

    @Override
    public Map<String, String> getProperties() {
        return TestDatabaseProperties.of(PostgresTestDatabase.shared());
    }

    @BeforeAll
    void insertVersionOneRows() throws Exception {
        insertedBefore = Instant.now().minusMillis(1);
        String placed = """
                {"orderId":"%s","orderNumber":"ORD-LEGACY0001","customerId":"c-legacy",\
                "lineItems":[{"productId":"p-1","sku":"SKU-1","name":"Widget","quantity":2,"unitPrice":12.50}],\
                "shippingAddress":{"line1":"1 Main St","city":"Springfield","country":"US","postalCode":"12345"},\
                "subtotal":25.00,"shippingCost":5.00,"total":30.00,"placedAt":"2025-06-01T10:00:00Z"}""".formatted(orderId);
        String paid = """
                {"amount":30.00,"method":"card","paidAt":"2025-06-01T11:00:00Z"}""";
        try (Connection connection = PostgresTestDatabase.shared().dataSource().getConnection();
             PreparedStatement insert = connection.prepareStatement(INSERT)) {
            insert.setString(1, "order-" + orderId);
            insert.setArray(2, connection.createArrayOf("uuid", new Object[] {UUID.randomUUID(), UUID.randomUUID()}));
            insert.setArray(3, connection.createArrayOf("text", new Object[] {"OrderPlaced", "OrderPaid"}));
            insert.setArray(4, connection.createArrayOf("text", new Object[] {placed, paid}));
            insert.setArray(5, connection.createArrayOf("text", new Object[] {"{}", "{}"}));
            insert.setArray(6, connection.createArrayOf("int4", new Object[] {1, 1}));
            try (var result = insert.executeQuery()) {
                result.next();
                assertThat(result.getString(1)).isEqualTo("appended");
            }
        }
    }

    @Test
    @Order(1)
    @DisplayName("an order stored in the first schema loads, answers temporal queries and shows its history upcast")
    void oldOrderReads() {
        var api = new ApiClient(server.getURI());
        var order = api.get("/api/orders/" + orderId);
        assertThat(order.status()).as(order.body()).isEqualTo(200);
        assertThat(order.json().get("status").asText()).isEqualTo("paid");
        assertThat(order.json().get("currency").asText()).isEqualTo("USD");
        assertThat(order.json().get("total").decimalValue()).isEqualByComparingTo("30.00");

        var atOne = api.get("/api/orders/" + orderId + "?version=1").json();
        assertThat(atOne.get("status").asText()).isEqualTo("placed");
        assertThat(atOne.get("currency").asText()).isEqualTo("USD");
        // asOf is about when events were stored: both rows were stored after insertedBefore.
        assertThat(api.get("/api/orders/" + orderId + "?asOf=" + insertedBefore).status()).isEqualTo(404);
        var asOf = api.get("/api/orders/" + orderId + "?asOf=" + Instant.now()).json();
        assertThat(asOf.get("version").asLong()).isEqualTo(2);
        assertThat(asOf.get("currency").asText()).isEqualTo("USD");

        var history = api.get("/api/orders/" + orderId + "/events").json();
        var first = history.get("events").get(0);
        assertThat(first.get("schemaVersion").asInt()).as("shown in the current shape").isEqualTo(3);
        assertThat(first.get("data").get("currency").asText()).isEqualTo("USD");
        var raw = api.get("/api/streams/order-" + orderId).json().get("events").get(0);
        assertThat(raw.get("schemaVersion").asInt()).as("the stored event itself is unchanged").isEqualTo(1);
        assertThat(raw.get("data").has("currency")).isFalse();

        long lastPosition = api.get("/api/streams/order-" + orderId).json().get("events").get(1).get("position").asLong();
        var listed = api.get("/api/orders?customerId=c-legacy&minPosition=" + lastPosition);
        assertThat(listed.status()).as(listed.body()).isEqualTo(200);
        var row = listed.json().get("items").get(0);
        assertThat(row.get("id").asText()).as("the projection applied the old events").isEqualTo(orderId);
        assertThat(row.get("status").asText()).isEqualTo("paid");
        assertThat(row.get("currency").asText()).isEqualTo("USD");
    }

    @Test
    @Order(2)
    @DisplayName("commands go on from the old events, and new events are stored in the new shape")
    void oldOrderTakesCommands() {
        var api = new ApiClient(server.getURI());
        var shipped = api.postJson("/api/orders/" + orderId + "/shipment", "{\"trackingNumber\": \"T-1\", \"carrier\": \"UPS\"}");
        assertThat(shipped.status()).as(shipped.body()).isEqualTo(200);
        assertThat(shipped.json().get("status").asText()).isEqualTo("shipped");
        assertThat(shipped.json().get("currency").asText()).isEqualTo("USD");
        var stored = api.get("/api/streams/order-" + orderId).json().get("events");
        assertThat(stored.get(2).get("type").asText()).isEqualTo("OrderShipped");
        assertThat(stored.get(0).get("schemaVersion").asInt()).isEqualTo(1);
    }

    @Test
    @Order(3)
    @DisplayName("a newly placed order is stored with OrderPlaced in schema version 2")
    void newOrdersUseNewShape() {
        var api = new ApiClient(server.getURI());
        var placed = api.postJson("/api/orders", """
                {"customerId": "c-new", "currency": "GBP",
                 "lineItems": [{"productId": "p", "sku": "s", "name": "n", "quantity": 1, "unitPrice": 9.99}],
                 "shippingAddress": {"line1": "l", "city": "c", "country": "GB", "postalCode": "1"}}""");
        assertThat(placed.status()).as(placed.body()).isEqualTo(201);
        var first = api.get("/api/streams/order-" + placed.json().get("id").asText()).json().get("events").get(0);
        assertThat(first.get("schemaVersion").asInt()).isEqualTo(3);
        assertThat(first.get("data").get("currency").asText()).isEqualTo("GBP");
    }
}
