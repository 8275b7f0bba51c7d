package org.pgeventstore.application.order;

import java.time.Instant;
import java.util.Optional;
import org.pgeventstore.domain.order.OrderId;

/**
 * A read asked for an order that has not been placed, or had not been placed yet at the instant
 * asked for. Messages: {@code "order <id> has not been placed"},
 * {@code "order <id> had not been placed as of 2026-01-01T00:00:00Z"}.
 */
public final class UnknownOrder extends RuntimeException {

    private final OrderId orderId;
    private final Instant asOf;

    public UnknownOrder(OrderId orderId, Optional<Instant> asOf) {
        super(asOf.map(instant -> "order " + orderId + " had not been placed as of " + instant)
                .orElseGet(() -> "order " + orderId + " has not been placed"));
        this.orderId = orderId;
        this.asOf = asOf.orElse(null);
    }

    public OrderId orderId() {
        return orderId;
    }

    /** The instant the read was for, when it was a read as of an instant. */
    public Optional<Instant> asOf() {
        return Optional.ofNullable(asOf);
    }
}
