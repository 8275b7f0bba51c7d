package org.pgeventstore.domain.order;

/** Add one line item to an order that is still placed (not yet paid). */
public record AddItem(OrderId orderId, LineItem lineItem) implements OrderCommand {

    public AddItem {
        Require.present(orderId, "orderId");
        Require.present(lineItem, "lineItem");
    }
}
