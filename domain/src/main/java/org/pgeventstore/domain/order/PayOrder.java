package org.pgeventstore.domain.order;

/**
 * Record the payment of a placed order. The amount must equal the order total exactly;
 * {@code method} (e.g. {@code "card"}) is free text that must not be blank.
 */
public record PayOrder(OrderId orderId, Money amount, String method) implements OrderCommand {

    public PayOrder {
        Require.present(orderId, "orderId");
        Require.present(amount, "amount");
        Require.nonBlank(method, "method");
    }
}
