package org.pgeventstore.domain.order;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Currency;
import java.util.List;

/**
 * An order was placed. Carries the amounts as computed at that moment, including the shipping
 * cost under the policy then in force; {@code total = subtotal + shippingCost}.
 */
public record OrderPlaced(
        OrderId orderId,
        String orderNumber,
        CustomerId customerId,
        List<LineItem> lineItems,
        ShippingAddress shippingAddress,
        Money subtotal,
        Money shippingCost,
        Money total,
        Currency currency,
        Instant placedAt) implements OrderEvent {

    public OrderPlaced {
        requireNonNull(orderId, "orderId");
        requireNonNull(orderNumber, "orderNumber");
        requireNonNull(customerId, "customerId");
        lineItems = List.copyOf(requireNonNull(lineItems, "lineItems"));
        requireNonNull(shippingAddress, "shippingAddress");
        requireNonNull(subtotal, "subtotal");
        requireNonNull(shippingCost, "shippingCost");
        requireNonNull(total, "total");
        requireNonNull(currency, "currency");
        requireNonNull(placedAt, "placedAt");
    }
}
