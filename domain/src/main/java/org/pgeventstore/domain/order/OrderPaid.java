package org.pgeventstore.domain.order;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/** An order was paid in full; {@code amount} equals the order total at that moment. */
public record OrderPaid(Money amount, String method, Instant paidAt) implements OrderEvent {

    public OrderPaid {
        requireNonNull(amount, "amount");
        requireNonNull(method, "method");
        requireNonNull(paidAt, "paidAt");
    }
}
