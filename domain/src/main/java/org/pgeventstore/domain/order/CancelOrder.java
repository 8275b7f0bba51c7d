package org.pgeventstore.domain.order;

import java.util.Optional;

/**
 * Cancel an order that has not shipped yet. Reason and who cancelled must not be blank.
 *
 * <p>{@code refundAmount} is optional (a null Optional is read as empty): when empty, a paid
 * order is refunded everything that was paid and an unpaid order nothing; when given, it may be
 * smaller than what was paid but never larger.
 */
public record CancelOrder(
        OrderId orderId,
        String reason,
        String cancelledBy,
        Optional<Money> refundAmount) implements OrderCommand {

    public CancelOrder {
        Require.present(orderId, "orderId");
        Require.nonBlank(reason, "reason");
        Require.nonBlank(cancelledBy, "cancelledBy");
        refundAmount = Require.orEmpty(refundAmount);
    }
}
