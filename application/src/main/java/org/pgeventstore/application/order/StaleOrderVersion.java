package org.pgeventstore.application.order;

import org.pgeventstore.domain.order.OrderId;

/**
 * A conditional command (the client's {@code If-Match}) found the order at another version than
 * the client expected, or lost the race to append at it. Nothing was appended and the command
 * was not retried: the client must look at the order again. Message:
 * {@code "order <id> is at version 4, the command expected version 3"}.
 */
public final class StaleOrderVersion extends RuntimeException {

    private final OrderId orderId;
    private final long expectedVersion;
    private final long actualVersion;

    public StaleOrderVersion(OrderId orderId, long expectedVersion, long actualVersion) {
        super("order " + orderId + " is at version " + actualVersion + ", the command expected version " + expectedVersion);
        this.orderId = orderId;
        this.expectedVersion = expectedVersion;
        this.actualVersion = actualVersion;
    }

    public OrderId orderId() {
        return orderId;
    }

    /** The version the client expected (its {@code If-Match}). */
    public long expectedVersion() {
        return expectedVersion;
    }

    /** The version the order was found at. */
    public long actualVersion() {
        return actualVersion;
    }
}
