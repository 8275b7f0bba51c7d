package org.pgeventstore.application.order;

import org.pgeventstore.application.aggregate.VersionCondition;
import org.pgeventstore.domain.order.OrderId;

/**
 * A conditional command (the client's {@code If-Match}) found the order at a version that does not
 * meet its condition (an order that does not exist meets none), or lost the race to append at it.
 * Nothing was appended and the command was not retried: the client must look at the order again.
 * Message: {@code "order <id> is at version 4, the command expected version 3"}.
 */
public final class StaleOrderVersion extends RuntimeException {

    private final OrderId orderId;
    private final VersionCondition condition;
    private final long actualVersion;

    public StaleOrderVersion(OrderId orderId, VersionCondition condition, long actualVersion) {
        super("order " + orderId + (actualVersion == 0 ? " does not exist" : " is at version " + actualVersion)
                + ", the command expected " + condition);
        this.orderId = orderId;
        this.condition = condition;
        this.actualVersion = actualVersion;
    }

    public OrderId orderId() {
        return orderId;
    }

    /** What the client asked for (its {@code If-Match}). */
    public VersionCondition condition() {
        return condition;
    }

    /** The version the order was found at, 0 when it does not exist. */
    public long actualVersion() {
        return actualVersion;
    }
}
