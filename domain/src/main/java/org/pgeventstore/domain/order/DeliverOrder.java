package org.pgeventstore.domain.order;

import java.util.Optional;

/**
 * Confirm that a shipped order arrived. {@code signedBy}, who signed for it, is optional but
 * must not be blank when given (a null Optional is read as empty).
 */
public record DeliverOrder(OrderId orderId, Optional<String> signedBy) implements OrderCommand {

    public DeliverOrder {
        Require.present(orderId, "orderId");
        signedBy = Require.nonBlankIfGiven(signedBy, "signedBy");
    }
}
