package org.pgeventstore.adapters.http.order;

import org.pgeventstore.adapters.http.ApiExamples;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.pgeventstore.adapters.http.ApiBodyProblems;
import org.pgeventstore.adapters.http.ApiDocumentation;
import org.pgeventstore.adapters.http.ApiProblems;
import org.pgeventstore.adapters.http.ProblemResponses;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.pgeventstore.adapters.http.ApiProblem;
import org.pgeventstore.adapters.http.IfMatch;
import org.pgeventstore.adapters.http.RequestMetadata;
import org.pgeventstore.adapters.http.order.OrderRequests.CancellationRequest;
import org.pgeventstore.adapters.http.order.OrderRequests.DeliveryRequest;
import org.pgeventstore.adapters.http.order.OrderRequests.LineItemRequest;
import org.pgeventstore.adapters.http.order.OrderRequests.PaymentRequest;
import org.pgeventstore.adapters.http.order.OrderRequests.PlaceOrderRequest;
import org.pgeventstore.adapters.http.order.OrderRequests.ShipmentRequest;
import org.pgeventstore.application.aggregate.CommandContext;
import org.pgeventstore.application.order.NewOrder;
import org.pgeventstore.application.order.OrderCommandHandler;
import org.pgeventstore.application.order.OrderCommandResult;
import org.pgeventstore.domain.order.AddItem;
import org.pgeventstore.domain.order.CancelOrder;
import org.pgeventstore.domain.order.CustomerId;
import org.pgeventstore.domain.order.DeliverOrder;
import org.pgeventstore.domain.order.InvalidOrderData;
import org.pgeventstore.domain.order.LineItem;
import org.pgeventstore.domain.order.Money;
import org.pgeventstore.domain.order.OrderId;
import org.pgeventstore.domain.order.PayOrder;
import org.pgeventstore.domain.order.PlaceOrder;
import org.pgeventstore.domain.order.ShipOrder;
import org.pgeventstore.domain.order.ShippingAddress;

/**
 * The command API of the Order aggregate. Every success answers the order view with its
 * {@code ETag}; {@code If-Match} makes a command conditional. Reads: {@link OrderQueryController}.
 */
@Controller("/api/orders")
@ApiProblems
@Tag(name = "orders")
@ExecuteOn(TaskExecutors.BLOCKING)
public class OrderCommandController {

    private static final int MAX_IDEMPOTENCY_KEY = 255;
    private static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private final OrderCommandHandler commands;
    private final OrderRequestReader requests;

    public OrderCommandController(OrderCommandHandler commands, OrderRequestReader requests) {
        this.commands = commands;
        this.requests = requests;
    }

    @Operation(summary = "Place an order", operationId = "placeOrder",
            description = "Prices the items under the shipping policy; the Location header names the new order.",
            parameters = {@Parameter(in = ParameterIn.HEADER, name = IDEMPOTENCY_KEY,
                    description = OrderCommandResponses.IDEMPOTENCY_KEY, schema = @Schema(type = "string", maxLength = 255)),
                    @Parameter(in = ParameterIn.HEADER, name = RequestMetadata.CORRELATION_ID,
                    description = RequestMetadata.CORRELATION_IN, schema = @Schema(type = "string", maxLength = 200)),
                    @Parameter(in = ParameterIn.HEADER, name = RequestMetadata.CAUSATION_ID,
                    description = RequestMetadata.CAUSATION_IN, schema = @Schema(type = "string", maxLength = 200)),
                    @Parameter(in = ParameterIn.HEADER, name = RequestMetadata.USER_ID,
                    description = RequestMetadata.USER_IN, schema = @Schema(type = "string", maxLength = 200))})
    @RequestBody(content = @Content(schema = @Schema(implementation = PlaceOrderRequest.class),
            examples = @ExampleObject(name = "two-widgets", value = ApiExamples.PLACE_ORDER)))
    @ApiResponse(responseCode = "201", description = "Placed; Location names the order", headers = {
            @Header(name = "ETag", description = OrderCommandResponses.ETAG, schema = @Schema(type = "string")),
            @Header(name = "Location", description = "The order", schema = @Schema(type = "string")),
            @Header(name = RequestMetadata.CORRELATION_ID, description = RequestMetadata.CORRELATION_ECHOED, schema = @Schema(type = "string"))},
            content = @Content(schema = @Schema(implementation = OrderView.class)))
    @ApiResponse(responseCode = "200", description = "An Idempotency-Key seen before: the order it placed", headers = {
            @Header(name = "ETag", description = OrderCommandResponses.ETAG, schema = @Schema(type = "string")),
            @Header(name = "Location", description = "The order", schema = @Schema(type = "string")),
            @Header(name = RequestMetadata.CORRELATION_ID, description = RequestMetadata.CORRELATION_ECHOED, schema = @Schema(type = "string"))},
            content = @Content(schema = @Schema(implementation = OrderView.class)))
    @ApiResponse(responseCode = "422", description = "Invalid request, or an Idempotency-Key reused for another order", content = @Content(mediaType = ProblemResponses.PROBLEM_JSON,
                    schema = @Schema(implementation = ApiDocumentation.ProblemDocument.class)),
        headers = @Header(name = RequestMetadata.CORRELATION_ID, description = RequestMetadata.CORRELATION_ECHOED, schema = @Schema(type = "string")))
    @ApiBodyProblems
    @Post
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public HttpResponse<String> place(@Body @Nullable byte[] body, HttpRequest<?> request) {
        PlaceOrderRequest place = requests.read(body, PlaceOrderRequest.class);
        NewOrder newOrder = OrderRequestReader.toDomain(() -> new NewOrder(
                new CustomerId(place.customerId()),
                lineItems(place.lineItems()),
                address(place),
                place.currency() == null ? PlaceOrder.DEFAULT_CURRENCY : PlaceOrder.currency(place.currency())));
        OrderCommandResult result = commands.place(newOrder, context(request));
        return respond(result, result.replayed() ? HttpStatus.OK : HttpStatus.CREATED)
                .header("Location", "/api/orders/" + result.order().id());
    }

    @Operation(summary = "Add a line item (only while placed)", operationId = "addOrderItem",
            description = "Without If-Match a lost race is retried on the server; with it, a stale version is a 412.",
            parameters = {@Parameter(in = ParameterIn.HEADER, name = IfMatch.HEADER, description = OrderCommandResponses.IF_MATCH,
                    schema = @Schema(type = "string")), @Parameter(in = ParameterIn.HEADER, name = IDEMPOTENCY_KEY,
                    description = OrderCommandResponses.IDEMPOTENCY_KEY, schema = @Schema(type = "string", maxLength = 255)),
                    @Parameter(in = ParameterIn.HEADER, name = RequestMetadata.CORRELATION_ID,
                    description = RequestMetadata.CORRELATION_IN, schema = @Schema(type = "string", maxLength = 200)),
                    @Parameter(in = ParameterIn.HEADER, name = RequestMetadata.CAUSATION_ID,
                    description = RequestMetadata.CAUSATION_IN, schema = @Schema(type = "string", maxLength = 200)),
                    @Parameter(in = ParameterIn.HEADER, name = RequestMetadata.USER_ID,
                    description = RequestMetadata.USER_IN, schema = @Schema(type = "string", maxLength = 200))})
    @RequestBody(content = @Content(schema = @Schema(implementation = LineItemRequest.class),
            examples = @ExampleObject(name = "a-gadget", value = ApiExamples.LINE_ITEM)))
    @OrderCommandResponses
    @Post("/{id}/items")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public HttpResponse<String> addItem(@PathVariable String id, @Body @Nullable byte[] body, HttpRequest<?> request) {
        OrderId orderId = OrderResponses.orderId(id);
        LineItemRequest item = requests.read(body, LineItemRequest.class);
        LineItem lineItem = OrderRequestReader.toDomain(() -> lineItem(item));
        return respond(commands.addItem(new AddItem(orderId, lineItem), context(request)), HttpStatus.OK);
    }

    @Operation(summary = "Pay the order's total", operationId = "payOrder",
            description = "The amount must equal the order's total.",
            parameters = {@Parameter(in = ParameterIn.HEADER, name = IfMatch.HEADER, description = OrderCommandResponses.IF_MATCH,
                    schema = @Schema(type = "string")), @Parameter(in = ParameterIn.HEADER, name = IDEMPOTENCY_KEY,
                    description = OrderCommandResponses.IDEMPOTENCY_KEY, schema = @Schema(type = "string", maxLength = 255)),
                    @Parameter(in = ParameterIn.HEADER, name = RequestMetadata.CORRELATION_ID,
                    description = RequestMetadata.CORRELATION_IN, schema = @Schema(type = "string", maxLength = 200)),
                    @Parameter(in = ParameterIn.HEADER, name = RequestMetadata.CAUSATION_ID,
                    description = RequestMetadata.CAUSATION_IN, schema = @Schema(type = "string", maxLength = 200)),
                    @Parameter(in = ParameterIn.HEADER, name = RequestMetadata.USER_ID,
                    description = RequestMetadata.USER_IN, schema = @Schema(type = "string", maxLength = 200))})
    @RequestBody(content = @Content(schema = @Schema(implementation = PaymentRequest.class),
            examples = @ExampleObject(name = "by-card", value = ApiExamples.PAYMENT)))
    @OrderCommandResponses
    @Post("/{id}/payment")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public HttpResponse<String> pay(@PathVariable String id, @Body @Nullable byte[] body, HttpRequest<?> request) {
        OrderId orderId = OrderResponses.orderId(id);
        PaymentRequest payment = requests.read(body, PaymentRequest.class);
        PayOrder pay = OrderRequestReader.toDomain(
                () -> new PayOrder(orderId, Money.of(payment.amount(), "amount"), payment.method()));
        return respond(commands.pay(pay, context(request)), HttpStatus.OK);
    }

    @Operation(summary = "Ship a paid order", operationId = "shipOrder",
            description = "Records the carrier, the tracking number and an optional estimated delivery date.",
            parameters = {@Parameter(in = ParameterIn.HEADER, name = IfMatch.HEADER, description = OrderCommandResponses.IF_MATCH,
                    schema = @Schema(type = "string")), @Parameter(in = ParameterIn.HEADER, name = IDEMPOTENCY_KEY,
                    description = OrderCommandResponses.IDEMPOTENCY_KEY, schema = @Schema(type = "string", maxLength = 255)),
                    @Parameter(in = ParameterIn.HEADER, name = RequestMetadata.CORRELATION_ID,
                    description = RequestMetadata.CORRELATION_IN, schema = @Schema(type = "string", maxLength = 200)),
                    @Parameter(in = ParameterIn.HEADER, name = RequestMetadata.CAUSATION_ID,
                    description = RequestMetadata.CAUSATION_IN, schema = @Schema(type = "string", maxLength = 200)),
                    @Parameter(in = ParameterIn.HEADER, name = RequestMetadata.USER_ID,
                    description = RequestMetadata.USER_IN, schema = @Schema(type = "string", maxLength = 200))})
    @RequestBody(content = @Content(schema = @Schema(implementation = ShipmentRequest.class),
            examples = @ExampleObject(name = "by-ups", value = ApiExamples.SHIPMENT)))
    @OrderCommandResponses
    @Post("/{id}/shipment")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public HttpResponse<String> ship(@PathVariable String id, @Body @Nullable byte[] body, HttpRequest<?> request) {
        OrderId orderId = OrderResponses.orderId(id);
        ShipmentRequest shipment = requests.read(body, ShipmentRequest.class);
        ShipOrder ship = OrderRequestReader.toDomain(() -> new ShipOrder(orderId, shipment.trackingNumber(),
                shipment.carrier(), Optional.ofNullable(shipment.estimatedDelivery())));
        return respond(commands.ship(ship, context(request)), HttpStatus.OK);
    }

    @Operation(summary = "Confirm delivery of a shipped order", operationId = "deliverOrder",
            description = "The body is optional: deliveredAt when the carrier reported it, and who signed.",
            parameters = {@Parameter(in = ParameterIn.HEADER, name = IfMatch.HEADER, description = OrderCommandResponses.IF_MATCH,
                    schema = @Schema(type = "string")), @Parameter(in = ParameterIn.HEADER, name = IDEMPOTENCY_KEY,
                    description = OrderCommandResponses.IDEMPOTENCY_KEY, schema = @Schema(type = "string", maxLength = 255)),
                    @Parameter(in = ParameterIn.HEADER, name = RequestMetadata.CORRELATION_ID,
                    description = RequestMetadata.CORRELATION_IN, schema = @Schema(type = "string", maxLength = 200)),
                    @Parameter(in = ParameterIn.HEADER, name = RequestMetadata.CAUSATION_ID,
                    description = RequestMetadata.CAUSATION_IN, schema = @Schema(type = "string", maxLength = 200)),
                    @Parameter(in = ParameterIn.HEADER, name = RequestMetadata.USER_ID,
                    description = RequestMetadata.USER_IN, schema = @Schema(type = "string", maxLength = 200))})
    @RequestBody(content = @Content(schema = @Schema(implementation = DeliveryRequest.class)))
    @OrderCommandResponses
    @Post("/{id}/delivery")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public HttpResponse<String> deliver(@PathVariable String id, @Body @Nullable byte[] body, HttpRequest<?> request) {
        OrderId orderId = OrderResponses.orderId(id);
        DeliveryRequest delivery = body == null || body.length == 0
                ? new DeliveryRequest(null, null) : requests.read(body, DeliveryRequest.class);
        DeliverOrder deliver = OrderRequestReader.toDomain(() -> new DeliverOrder(orderId,
                Optional.ofNullable(delivery.deliveredAt()), Optional.ofNullable(delivery.signedBy())));
        return respond(commands.deliver(deliver, context(request)), HttpStatus.OK);
    }

    @Operation(summary = "Cancel a placed or paid order (a paid order is refunded)", operationId = "cancelOrder",
            description = "A paid order is refunded in full unless refundAmount says less.",
            parameters = {@Parameter(in = ParameterIn.HEADER, name = IfMatch.HEADER, description = OrderCommandResponses.IF_MATCH,
                    schema = @Schema(type = "string")), @Parameter(in = ParameterIn.HEADER, name = IDEMPOTENCY_KEY,
                    description = OrderCommandResponses.IDEMPOTENCY_KEY, schema = @Schema(type = "string", maxLength = 255)),
                    @Parameter(in = ParameterIn.HEADER, name = RequestMetadata.CORRELATION_ID,
                    description = RequestMetadata.CORRELATION_IN, schema = @Schema(type = "string", maxLength = 200)),
                    @Parameter(in = ParameterIn.HEADER, name = RequestMetadata.CAUSATION_ID,
                    description = RequestMetadata.CAUSATION_IN, schema = @Schema(type = "string", maxLength = 200)),
                    @Parameter(in = ParameterIn.HEADER, name = RequestMetadata.USER_ID,
                    description = RequestMetadata.USER_IN, schema = @Schema(type = "string", maxLength = 200))})
    @RequestBody(content = @Content(schema = @Schema(implementation = CancellationRequest.class)))
    @OrderCommandResponses
    @Post("/{id}/cancellation")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public HttpResponse<String> cancel(@PathVariable String id, @Body @Nullable byte[] body, HttpRequest<?> request) {
        OrderId orderId = OrderResponses.orderId(id);
        CancellationRequest cancellation = requests.read(body, CancellationRequest.class);
        CancelOrder cancel = OrderRequestReader.toDomain(() -> new CancelOrder(orderId, cancellation.reason(),
                cancellation.cancelledBy(),
                Optional.ofNullable(cancellation.refundAmount()).map(amount -> Money.of(amount, "refundAmount"))));
        return respond(commands.cancel(cancel, context(request)), HttpStatus.OK);
    }

    private static MutableHttpResponse<String> respond(OrderCommandResult result, HttpStatus status) {
        return OrderResponses.ok(OrderView.of(result.order(), result.position()), result.version()).status(status);
    }

    private static CommandContext context(HttpRequest<?> request) {
        RequestMetadata metadata = RequestMetadata.of(request);
        return new CommandContext(metadata.correlationId(), metadata.causationId(), metadata.userId(),
                IfMatch.of(request),
                idempotencyKey(request.getHeaders().get(IDEMPOTENCY_KEY)), metadata.onBehalfOf());
    }

    private static Optional<String> idempotencyKey(String header) {
        if (header == null) {
            return Optional.empty();
        }
        if (header.isBlank() || header.length() > MAX_IDEMPOTENCY_KEY) {
            throw ApiProblem.badParameter(IDEMPOTENCY_KEY, "must be 1.." + MAX_IDEMPOTENCY_KEY + " characters");
        }
        return Optional.of(header);
    }

    /** Line items of a placement; an invalid one is reported under its index, e.g. {@code lineItems[2].quantity}. */
    private static List<LineItem> lineItems(List<LineItemRequest> items) {
        List<LineItem> lineItems = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            try {
                lineItems.add(lineItem(items.get(i)));
            } catch (InvalidOrderData invalid) {
                throw invalid.within("lineItems[" + i + "]");
            }
        }
        return lineItems;
    }

    private static LineItem lineItem(LineItemRequest item) {
        return new LineItem(item.productId(), item.sku(), item.name(), item.quantity(),
                Money.of(item.unitPrice(), "unitPrice"));
    }

    private static ShippingAddress address(PlaceOrderRequest place) {
        var address = place.shippingAddress();
        try {
            return new ShippingAddress(address.line1(), address.city(), address.country(), address.postalCode());
        } catch (InvalidOrderData invalid) {
            throw invalid.within("shippingAddress");
        }
    }
}
