package org.pgeventstore.domain.order;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Shared orders, items and histories, priced against the standard policy (5.00, free from 50.00).
 * The customer, address, items and amounts are public for the tests of the modules above.
 */
public final class OrderFixtures {

    static final ShippingPolicy STANDARD_SHIPPING = ShippingPolicy.standard();

    static final Instant PLACED_AT = Instant.parse("2025-03-01T09:00:00Z");
    static final Instant PAID_AT = Instant.parse("2025-03-01T09:05:00Z");
    static final Instant SHIPPED_AT = Instant.parse("2025-03-02T14:00:00Z");
    static final Instant DELIVERED_AT = Instant.parse("2025-03-04T11:30:00Z");
    static final Instant CANCELLED_AT = Instant.parse("2025-03-01T18:00:00Z");

    /** The "now" of every decision in the tests, distinct from every timestamp in the histories. */
    static final Instant NOW = Instant.parse("2025-03-05T12:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    static final OrderId ORDER_ID = new OrderId(UUID.fromString("6f1c2b9e-3d4a-4e5f-9a8b-7c6d5e4f3a2b"));
    static final OrderId OTHER_ORDER_ID = new OrderId(UUID.fromString("00000000-0000-0000-0000-000000000001"));
    static final String ORDER_NUMBER = "ORD-2025-000042";
    public static final CustomerId CUSTOMER = new CustomerId("customer-7");
    public static final ShippingAddress ADDRESS = new ShippingAddress("1 Harbour Street", "Bristol", "GB", "BS1 4DJ");

    /** 2 x 12.50 = 25.00: below the free-shipping threshold. */
    public static final LineItem MUGS = item("p-mug", "MUG-BLUE", "Blue mug", 2, "12.50");
    /** 1 x 19.99. */
    public static final LineItem POSTER = item("p-poster", "POSTER-A2", "Harbour poster", 1, "19.99");
    /** 1 x 25.00: together with {@link #MUGS} the subtotal reaches exactly 50.00. */
    static final LineItem TEAPOT = item("p-teapot", "TEAPOT-1", "Teapot", 1, "25.00");

    private OrderFixtures() {
    }

    public static LineItem item(String productId, String sku, String name, int quantity, String unitPrice) {
        return new LineItem(productId, sku, name, quantity, Money.of(unitPrice));
    }

    public static Money money(String amount) {
        return Money.of(amount);
    }

    static PlaceOrder placeOrder(LineItem... items) {
        return new PlaceOrder(ORDER_ID, ORDER_NUMBER, CUSTOMER, List.of(items), ADDRESS);
    }

    /** Placed with {@link #MUGS}: subtotal 25.00, shipping 5.00, total 30.00. */
    static OrderPlaced placed() {
        return new OrderPlaced(ORDER_ID, ORDER_NUMBER, CUSTOMER, List.of(MUGS), ADDRESS,
                money("25.00"), money("5.00"), money("30.00"), PlaceOrder.DEFAULT_CURRENCY, PLACED_AT);
    }

    static OrderPaid paid() {
        return new OrderPaid(money("30.00"), "card", PAID_AT);
    }

    static OrderShipped shipped() {
        return new OrderShipped("TRK-123", "Royal Mail", Optional.of(LocalDate.parse("2025-03-04")), SHIPPED_AT);
    }

    static OrderDelivered delivered() {
        return new OrderDelivered(DELIVERED_AT, Optional.of("J. Smith"));
    }

    static OrderCancelled cancelled(String refund) {
        return new OrderCancelled("customer changed their mind", "support-agent-3", money(refund), CANCELLED_AT);
    }

    /** A history that leaves the order in {@code status}; a cancelled order is one that had been paid. */
    static List<OrderEvent> historyFor(OrderStatus status) {
        return switch (status) {
            case NOT_PLACED -> List.of();
            case PLACED -> List.of(placed());
            case PAID -> List.of(placed(), paid());
            case SHIPPED -> List.of(placed(), paid(), shipped());
            case DELIVERED -> List.of(placed(), paid(), shipped(), delivered());
            case CANCELLED -> List.of(placed(), paid(), cancelled("30.00"));
        };
    }

    static AddItem addItem(LineItem item) {
        return new AddItem(ORDER_ID, item);
    }

    static PayOrder payOrder(String amount) {
        return new PayOrder(ORDER_ID, money(amount), "card");
    }

    static ShipOrder shipOrder() {
        return new ShipOrder(ORDER_ID, "TRK-123", "Royal Mail", Optional.of(LocalDate.parse("2025-03-08")));
    }

    static DeliverOrder deliverOrder() {
        return new DeliverOrder(ORDER_ID, Optional.of("J. Smith"));
    }

    static CancelOrder cancelOrder() {
        return new CancelOrder(ORDER_ID, "out of stock", "support-agent-3", Optional.empty());
    }

    static CancelOrder cancelOrderRefunding(String refund) {
        return new CancelOrder(ORDER_ID, "out of stock", "support-agent-3", Optional.of(money(refund)));
    }
}
