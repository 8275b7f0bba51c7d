package org.pgeventstore.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.pgeventstore.adapters.http.ApiClient;
import org.pgeventstore.adapters.postgres.PostgresTestDatabase;
import org.pgeventstore.client.ApiException;
import org.pgeventstore.client.ApiResponse;
import org.pgeventstore.client.JSON;
import org.pgeventstore.client.api.OrdersApi;
import org.pgeventstore.client.api.StreamsApi;
import org.pgeventstore.client.model.AddressRequest;
import org.pgeventstore.client.model.AppendRequest;
import org.pgeventstore.client.model.AppendRequestExpectedVersion;
import org.pgeventstore.client.model.AppendResult;
import org.pgeventstore.client.model.DeliveryRequest;
import org.pgeventstore.client.model.Event;
import org.pgeventstore.client.model.FeedPage;
import org.pgeventstore.client.model.LineItemRequest;
import org.pgeventstore.client.model.NewEvent;
import org.pgeventstore.client.model.OrderView;
import org.pgeventstore.client.model.PaymentRequest;
import org.pgeventstore.client.model.PlaceOrderRequest;
import org.pgeventstore.client.model.Problem;
import org.pgeventstore.client.model.ShipmentRequest;
import org.pgeventstore.client.model.StreamSlice;

/**
 * The service driven through a Java client generated, at build time, from the OpenAPI document it
 * serves (bootstrap's pom), as a team that generates its client would: if the document and the
 * service part ways, a call here fails to compile, to send, or to read its answer.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GeneratedClientTest implements TestPropertyProvider {

    @Inject
    EmbeddedServer server;

    private OrdersApi orders;
    private StreamsApi streams;

    @Override
    public Map<String, String> getProperties() {
        return TestDatabaseProperties.of(PostgresTestDatabase.shared());
    }

    @BeforeEach
    void client() {
        var client = new org.pgeventstore.client.ApiClient();
        client.updateBaseUri(server.getURI().toString());
        client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + ApiClient.TEST_ADMIN_KEY));
        orders = new OrdersApi(client);
        streams = new StreamsApi(client);
    }

    private static PlaceOrderRequest placement(String customer) {
        return new PlaceOrderRequest()
                .customerId(customer)
                .addLineItemsItem(new LineItemRequest().productId("p-1").sku("SKU-1").name("Widget")
                        .quantity(2).unitPrice(new BigDecimal("12.50")))
                .shippingAddress(new AddressRequest().line1("1 Main St").city("Springfield").country("US")
                        .postalCode("12345"));
    }

    private static String etag(ApiResponse<?> response) {
        return response.getHeaders().get("etag").getFirst();
    }

    private static Problem problem(ApiException e) throws IOException {
        return JSON.getDefault().getMapper().readValue(e.getResponseBody(), Problem.class);
    }

    @Test
    @DisplayName("a whole order life through the generated client: place, add an item, pay, ship, deliver, then read it back")
    void wholeOrderLife() throws Exception {
        ApiResponse<OrderView> placed = orders.placeOrderWithHttpInfo(placement("client-1"), "client-life-" + UUID.randomUUID(),
                "client-life", null, null);
        assertThat(placed.getStatusCode()).isEqualTo(201);
        assertThat(placed.getHeaders().get("location").getFirst()).endsWith("/api/orders/" + placed.getData().getId());
        String id = placed.getData().getId();
        assertThat(placed.getData().getStatus()).isEqualTo("placed");
        assertThat(placed.getData().getPaidAt()).isNull();

        ApiResponse<OrderView> added = orders.addOrderItemWithHttpInfo(id, new LineItemRequest().productId("p-2").sku("SKU-2")
                .name("Gadget").quantity(1).unitPrice(new BigDecimal("30.00")), etag(placed), null, null, null, null);
        OrderView order = added.getData();
        assertThat(order.getLineItems()).hasSize(2);
        assertThat(etag(added)).isEqualTo("\"2\"");

        OrderView paid = orders.payOrder(id, new PaymentRequest().amount(order.getTotal()).method("card"), etag(added), null, null, null, null);
        assertThat(paid.getStatus()).isEqualTo("paid");
        assertThat(paid.getPaidAt()).isNotNull();
        OrderView shipped = orders.shipOrder(id, new ShipmentRequest().trackingNumber("TRK-1").carrier("ups"), null, null, null, null, null);
        assertThat(shipped.getStatus()).isEqualTo("shipped");
        OrderView delivered = orders.deliverOrder(id, new DeliveryRequest().signedBy("ada"), null, null, null, null, null);
        assertThat(delivered.getStatus()).isEqualTo("delivered");
        assertThat(delivered.getVersion()).isEqualTo(5L);

        assertThat(orders.getOrder(id, 2L, null, null).getStatus()).isEqualTo("placed");
        StreamSlice history = orders.getOrderHistory(id, delivered.getPosition());
        assertThat(history.getEvents()).extracting(Event::getType)
                .containsExactly("OrderPlaced", "OrderItemAdded", "OrderPaid", "OrderShipped", "OrderDelivered");
        assertThat(history.getEvents().getFirst().getMetadata()).containsEntry("correlationId", "client-life");
    }

    @Test
    @DisplayName("a stream append and read, then the feed, through the generated client")
    void streamAndFeed() throws Exception {
        String stream = "client-" + UUID.randomUUID();
        UUID eventId = UUID.randomUUID();
        var append = new AppendRequest()
                .expectedVersion(new AppendRequestExpectedVersion(0L))
                .events(List.of(new NewEvent().eventId(eventId).type("AccountOpened")
                        .data(Map.of("owner", "ada", "limit", 100)).metadata(Map.of("source", "client-test"))));
        ApiResponse<AppendResult> appended = streams.appendToStreamWithHttpInfo(stream, append, null, null, null, null);
        assertThat(appended.getStatusCode()).isEqualTo(201);
        assertThat(appended.getData().getLastVersion()).isEqualTo(1L);

        StreamSlice slice = streams.readStream(stream, null, null, appended.getData().getLastPosition());
        assertThat(slice.getVersion()).isEqualTo(1L);
        assertThat(slice.getEvents()).singleElement().satisfies(event -> {
            assertThat(event.getEventId()).isEqualTo(eventId);
            assertThat(event.getData()).containsEntry("owner", "ada").containsEntry("limit", 100);
            assertThat(event.getOccurredAt()).isNotNull();
        });

        long before = appended.getData().getFirstPosition() - 1;
        FeedPage page = streams.readFeed(null, before, 100, "client", null);
        assertThat(page.getEvents()).extracting(Event::getEventId).contains(eventId);
        assertThat(page.getNext()).isGreaterThanOrEqualTo(appended.getData().getLastPosition());
    }

    @Test
    @DisplayName("the main errors arrive as problems the generated client reads: 404, 409, 412 and 422")
    void mainErrors() throws Exception {
        ApiException unknown = catchThrowableOfType(ApiException.class, () -> orders.getOrder(UUID.randomUUID().toString(), null, null, null));
        assertThat(unknown.getCode()).isEqualTo(404);
        assertThat(problem(unknown).getType()).endsWith("/order-not-found");

        String id = orders.placeOrder(placement("client-2"), null, null, null, null).getId();
        ApiException early = catchThrowableOfType(ApiException.class,
                () -> orders.shipOrder(id, new ShipmentRequest().trackingNumber("TRK-2").carrier("ups"), null, null, null, null, null));
        assertThat(early.getCode()).isEqualTo(409);
        Problem transition = problem(early);
        assertThat(transition.getType()).endsWith("/invalid-transition");
        assertThat(transition.getStatus()).isEqualTo(409);
        assertThat(transition.getAdditionalProperties()).containsEntry("orderStatus", "placed");

        ApiException stale = catchThrowableOfType(ApiException.class,
                () -> orders.payOrder(id, new PaymentRequest().amount(new BigDecimal("25.00")).method("card"), "\"7\"", null, null, null, null));
        assertThat(stale.getCode()).isEqualTo(412);
        assertThat(problem(stale).getType()).endsWith("/stale-version");

        ApiException mismatch = catchThrowableOfType(ApiException.class,
                () -> orders.payOrder(id, new PaymentRequest().amount(new BigDecimal("1.00")).method("card"), null, null, null, null, null));
        assertThat(mismatch.getCode()).isEqualTo(422);
        assertThat(problem(mismatch).getType()).endsWith("/payment-mismatch");

        ApiException invalid = catchThrowableOfType(ApiException.class,
                () -> orders.placeOrder(placement("client-3").lineItems(List.of()), null, null, null, null));
        assertThat(invalid.getCode()).isEqualTo(422);
        assertThat(problem(invalid).getInvalidParams()).isNotEmpty();
    }
}
