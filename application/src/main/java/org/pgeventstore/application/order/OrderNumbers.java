package org.pgeventstore.application.order;

import java.util.function.Function;
import org.pgeventstore.domain.order.OrderId;

/**
 * Human-facing order numbers. The order id is the identity; the number is what a customer reads
 * out on the phone, so it is short and avoids look-alike characters.
 */
public final class OrderNumbers {

    private static final String CROCKFORD_BASE32 = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private static final int DIGITS = 10;

    private OrderNumbers() {
    }

    /**
     * {@code "ORD-"} and 10 Crockford base-32 characters made of the low 50 bits of the order id,
     * e.g. {@code ORD-7K2M9QXA4T}. Derived rather than drawn, so every attempt to place the same
     * order (a retry, a repeated idempotency key) gets the same number. For random ids, 50 bits
     * make a clash unlikely (about one in two after 30 million orders) but not impossible: the
     * number is a label, not a key, and nothing looks orders up by it.
     */
    public static Function<OrderId, String> fromOrderId() {
        return OrderNumbers::numberOf;
    }

    private static String numberOf(OrderId orderId) {
        long bits = orderId.value().getLeastSignificantBits();
        char[] digits = new char[DIGITS];
        for (int i = DIGITS - 1; i >= 0; i--) {
            digits[i] = CROCKFORD_BASE32.charAt((int) (bits & 31));
            bits >>>= 5;
        }
        return "ORD-" + new String(digits);
    }
}
