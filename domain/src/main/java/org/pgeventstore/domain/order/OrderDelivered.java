package org.pgeventstore.domain.order;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * A shipped order arrived. Who signed for it may be unknown (a null Optional is read as empty).
 */
public record OrderDelivered(Instant deliveredAt, Optional<String> signedBy) implements OrderEvent {

    public OrderDelivered {
        requireNonNull(deliveredAt, "deliveredAt");
        signedBy = Require.orEmpty(signedBy);
    }
}
