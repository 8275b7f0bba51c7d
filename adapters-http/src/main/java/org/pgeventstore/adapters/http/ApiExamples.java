package org.pgeventstore.adapters.http;

/**
 * Example bodies of the main requests, for the OpenAPI document: what its readers copy first.
 * Spectral checks each against its schema ({@code oas3-valid-media-example}).
 */
public final class ApiExamples {

    public static final String APPEND = """
            {"expectedVersion": 0, "events": [{"eventId": "6f1c2a3e-8b4d-4e5f-9a0b-1c2d3e4f5a6b", "type": "AccountOpened",
              "data": {"owner": "ada"}, "metadata": {"source": "signup"}}]}""";

    public static final String PLACE_ORDER = """
            {"customerId": "c-1", "lineItems": [{"productId": "p-1", "sku": "SKU-1", "name": "Widget", "quantity": 2,
              "unitPrice": 19.99}], "shippingAddress": {"line1": "1 Main St", "city": "Springfield", "country": "US",
              "postalCode": "12345"}, "currency": "USD"}""";

    public static final String LINE_ITEM = """
            {"productId": "p-2", "sku": "SKU-2", "name": "Gadget", "quantity": 1, "unitPrice": 30.00}""";

    public static final String PAYMENT = """
            {"amount": 44.98, "method": "card"}""";

    public static final String SHIPMENT = """
            {"trackingNumber": "1Z999AA10123456784", "carrier": "ups", "estimatedDelivery": "2026-12-09"}""";

    public static final String SUBSCRIPTION = """
            {"category": "order", "types": ["OrderPaid"], "startFrom": "beginning", "members": 2}""";

    public static final String ACK = """
            {"position": 1234, "member": 0, "members": 2}""";

    private ApiExamples() {
    }
}
