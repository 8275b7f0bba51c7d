package org.pgeventstore.domain.order;

import java.util.Objects;

/**
 * How much shipping an order costs: a flat fee, waived when the subtotal reaches the
 * free-shipping threshold ({@code subtotal >= freeShippingThreshold} ships free).
 *
 * <p>The policy is configuration, handed to {@link Order#decide} on every call rather than held
 * globally. The policy in force when a command is decided is the one that counts: placing an
 * order and adding an item both recompute shipping with it, and the result is recorded in the
 * event, so a later policy change never alters the history of an existing order.
 */
public record ShippingPolicy(Money flatFee, Money freeShippingThreshold) {

    private static final ShippingPolicy STANDARD = new ShippingPolicy(Money.of("5.00"), Money.of("50.00"));

    public ShippingPolicy {
        Objects.requireNonNull(flatFee, "flatFee");
        Objects.requireNonNull(freeShippingThreshold, "freeShippingThreshold");
    }

    /** A flat fee of 5.00, free from a subtotal of 50.00. */
    public static ShippingPolicy standard() {
        return STANDARD;
    }

    /** The shipping cost for an order with this subtotal. */
    public Money shippingCostFor(Money subtotal) {
        return subtotal.isLessThan(freeShippingThreshold) ? flatFee : Money.ZERO;
    }
}
