package org.pgeventstore.domain.order;

import java.util.Locale;

/**
 * Where an order is in its lifecycle: {@code PLACED -> PAID -> SHIPPED -> DELIVERED}, with
 * {@code CANCELLED} reachable from {@code PLACED} or {@code PAID}.
 *
 * <p>{@link #NOT_PLACED} is the status of {@link Order#initial()}, the state of a stream with no
 * events. No stored order is ever in it; a read model can answer "not found" for it.
 */
public enum OrderStatus {
    NOT_PLACED,
    PLACED,
    PAID,
    SHIPPED,
    DELIVERED,
    CANCELLED;

    /** The status as an operator would say it, e.g. {@code "not placed"}, {@code "shipped"}. */
    public String inWords() {
        return name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
}
