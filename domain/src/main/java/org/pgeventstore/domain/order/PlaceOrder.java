package org.pgeventstore.domain.order;

import java.util.Currency;
import java.util.List;

/**
 * Place a new order with at least one line item. The caller chooses the order id and the
 * human-facing order number; subtotal, shipping cost and total are computed by
 * {@link Order#decide} from the items and the {@link ShippingPolicy}.
 */
public record PlaceOrder(
        OrderId orderId,
        String orderNumber,
        CustomerId customerId,
        List<LineItem> lineItems,
        ShippingAddress shippingAddress,
        Currency currency) implements OrderCommand {

    /** The currency of every order placed before orders recorded theirs, and the default of a new one. */
    public static final Currency DEFAULT_CURRENCY = Currency.getInstance("USD");


    public PlaceOrder {
        Require.present(orderId, "orderId");
        Require.nonBlank(orderNumber, "orderNumber");
        Require.present(customerId, "customerId");
        Require.present(lineItems, "lineItems");
        if (lineItems.isEmpty()) {
            throw new InvalidOrderData("lineItems", "must contain at least one item");
        }
        for (int i = 0; i < lineItems.size(); i++) {
            Require.present(lineItems.get(i), "lineItems[" + i + "]");
        }
        lineItems = List.copyOf(lineItems);
        Require.present(shippingAddress, "shippingAddress");
        Require.present(currency, "currency");
    }

    /** An order in the {@link #DEFAULT_CURRENCY default currency}. */
    public PlaceOrder(OrderId orderId, String orderNumber, CustomerId customerId, List<LineItem> lineItems,
                      ShippingAddress shippingAddress) {
        this(orderId, orderNumber, customerId, lineItems, shippingAddress, DEFAULT_CURRENCY);
    }

    /** The currency with this ISO 4217 code; an unknown code is invalid data of field {@code currency}. */
    public static Currency currency(String code) {
        if (code == null || !code.matches("[A-Z]{3}")) {
            throw new InvalidOrderData("currency", "must be an ISO 4217 code of three capital letters, was " + code);
        }
        try {
            return Currency.getInstance(code);
        } catch (IllegalArgumentException unknown) {
            throw new InvalidOrderData("currency", "is not an ISO 4217 currency: " + code);
        }
    }
}
