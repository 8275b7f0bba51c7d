package org.pgeventstore.domain.order;

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
        ShippingAddress shippingAddress) implements OrderCommand {

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
    }
}
