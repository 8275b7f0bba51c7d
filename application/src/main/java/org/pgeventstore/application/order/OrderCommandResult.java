package org.pgeventstore.application.order;

import java.util.Objects;
import org.pgeventstore.application.eventstore.AppendResult;
import org.pgeventstore.domain.order.Order;

/**
 * The outcome of a command: the order's state after it, and what was appended.
 *
 * <p>For a placement repeated under the same idempotency key nothing new was appended:
 * {@link #replayed()} is true, {@code append} describes the original placing append and
 * {@code order} is the order's current state, which may have moved on since.
 */
public record OrderCommandResult(Order order, AppendResult append) {

    public OrderCommandResult {
        Objects.requireNonNull(order, "order");
        Objects.requireNonNull(append, "append");
    }

    /** The order's version after the command: the {@code ETag}. */
    public long version() {
        return order.version();
    }

    /** The global position of the last event the command appended. */
    public long position() {
        return append.lastPosition();
    }

    /** Whether this answers a repeated request that appended nothing (HTTP 200 instead of 201). */
    public boolean replayed() {
        return append.replayed();
    }
}
