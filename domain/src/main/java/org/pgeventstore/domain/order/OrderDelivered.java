package org.pgeventstore.domain.order;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * A shipped order arrived. {@code reported} tells whether {@code deliveredAt} is the time the
 * carrier reported, a fact of its own, or the time the delivery was recorded. Who signed for it
 * may be unknown (a null Optional is read as empty).
 */
public record OrderDelivered(Instant deliveredAt, Optional<String> signedBy, boolean reported) implements OrderEvent {

    public OrderDelivered {
        requireNonNull(deliveredAt, "deliveredAt");
        signedBy = Require.orEmpty(signedBy);
    }

    /** A delivery recorded at {@code deliveredAt}, with no time reported by the carrier. */
    public OrderDelivered(Instant deliveredAt, Optional<String> signedBy) {
        this(deliveredAt, signedBy, false);
    }
}
