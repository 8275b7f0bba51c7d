package org.pgeventstore.domain.order;

/**
 * The customer who placed an order, as known to the shop: a non-blank string of at most
 * {@value #MAX_LENGTH} characters. Its format belongs to the customer system, so it is not
 * interpreted here.
 */
public record CustomerId(String value) {

    public static final int MAX_LENGTH = 200;

    public CustomerId {
        Require.nonBlank(value, "customerId", MAX_LENGTH);
    }

    @Override
    public String toString() {
        return value;
    }
}
