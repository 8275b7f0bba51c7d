package org.pgeventstore.domain.order;

import java.time.Instant;
import java.util.Optional;

/**
 * Confirm that a shipped order arrived. {@code deliveredAt}, when the carrier reports it, is the
 * time of delivery; without it the order is delivered now. It may be neither before the shipment
 * nor in the future. {@code signedBy}, who signed for it, is optional but must not be blank when
 * given (a null Optional is read as empty).
 */
public record DeliverOrder(OrderId orderId, Optional<Instant> deliveredAt, Optional<String> signedBy)
        implements OrderCommand {

    public DeliverOrder {
        Require.present(orderId, "orderId");
        deliveredAt = Require.orEmpty(deliveredAt);
        signedBy = Require.nonBlankIfGiven(signedBy, "signedBy");
    }

    /** Delivered now. */
    public DeliverOrder(OrderId orderId, Optional<String> signedBy) {
        this(orderId, Optional.empty(), signedBy);
    }
}
