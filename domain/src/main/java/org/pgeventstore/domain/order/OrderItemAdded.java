package org.pgeventstore.domain.order;

import static java.util.Objects.requireNonNull;

/**
 * A line item was added to a placed order. Carries the order's new subtotal, shipping cost and
 * total after the addition, so replaying history never depends on the current shipping policy.
 */
public record OrderItemAdded(LineItem lineItem, Money subtotal, Money shippingCost, Money total) implements OrderEvent {

    public OrderItemAdded {
        requireNonNull(lineItem, "lineItem");
        requireNonNull(subtotal, "subtotal");
        requireNonNull(shippingCost, "shippingCost");
        requireNonNull(total, "total");
    }
}
