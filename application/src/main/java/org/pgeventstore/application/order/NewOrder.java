package org.pgeventstore.application.order;

import java.util.Currency;
import java.util.List;
import org.pgeventstore.domain.order.CustomerId;
import org.pgeventstore.domain.order.InvalidOrderData;
import org.pgeventstore.domain.order.LineItem;
import org.pgeventstore.domain.order.PlaceOrder;
import org.pgeventstore.domain.order.ShippingAddress;

/**
 * What a client asks for when placing an order. The order id and order number are not part of
 * it: {@link OrderCommandHandler#place} chooses them. The remaining rules (at least one item)
 * are the domain's and are checked when the {@code PlaceOrder} command is built.
 */
public record NewOrder(CustomerId customerId, List<LineItem> lineItems, ShippingAddress shippingAddress,
                       Currency currency) {

    /** An order in the default currency ({@link PlaceOrder#DEFAULT_CURRENCY}). */
    public NewOrder(CustomerId customerId, List<LineItem> lineItems, ShippingAddress shippingAddress) {
        this(customerId, lineItems, shippingAddress, PlaceOrder.DEFAULT_CURRENCY);
    }

    public NewOrder {
        if (customerId == null) {
            throw new InvalidOrderData("customerId", "is required");
        }
        if (lineItems == null) {
            throw new InvalidOrderData("lineItems", "is required");
        }
        for (int i = 0; i < lineItems.size(); i++) {
            if (lineItems.get(i) == null) {
                throw new InvalidOrderData("lineItems[" + i + "]", "is required");
            }
        }
        lineItems = List.copyOf(lineItems);
        if (shippingAddress == null) {
            throw new InvalidOrderData("shippingAddress", "is required");
        }
        if (currency == null) {
            throw new InvalidOrderData("currency", "is required");
        }
    }
}
