package org.pgeventstore.application.order;

import org.pgeventstore.domain.order.OrderId;

/**
 * A read asked for an order at a version it does not have: below 1 or above its current version.
 * Message: {@code "order <id> has versions 1 to 4, not 7"}.
 */
public final class VersionOutOfRange extends RuntimeException {

    private final OrderId orderId;
    private final long requestedVersion;
    private final long currentVersion;

    public VersionOutOfRange(OrderId orderId, long requestedVersion, long currentVersion) {
        super("order " + orderId + " has versions 1 to " + currentVersion + ", not " + requestedVersion);
        this.orderId = orderId;
        this.requestedVersion = requestedVersion;
        this.currentVersion = currentVersion;
    }

    public OrderId orderId() {
        return orderId;
    }

    public long requestedVersion() {
        return requestedVersion;
    }

    /** The order's current version, the highest that can be asked for. */
    public long currentVersion() {
        return currentVersion;
    }
}
