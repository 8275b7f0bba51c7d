package org.pgeventstore.application.order.readmodel;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.pgeventstore.domain.order.OrderStatus;

/**
 * A page of the order list, newest first ({@code placedAt} then id, descending): optionally only
 * one status or one customer, and only orders after the {@link Cursor} of a previous page.
 */
public record OrderListQuery(Optional<OrderStatus> status, Optional<String> customerId, int limit,
                             Optional<Cursor> after) {

    public OrderListQuery {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(after, "after");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive, was " + limit);
        }
    }

    /** Where a page ended: the last order's placement time and id. */
    public record Cursor(Instant placedAt, UUID id) {
        public Cursor {
            Objects.requireNonNull(placedAt, "placedAt");
            Objects.requireNonNull(id, "id");
        }
    }
}
