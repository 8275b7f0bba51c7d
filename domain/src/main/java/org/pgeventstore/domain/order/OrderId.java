package org.pgeventstore.domain.order;

import java.util.UUID;

/**
 * Identifies one order, and so one event stream. Ids are chosen by the caller (usually the
 * application layer) and passed in with {@link PlaceOrder}; the domain never generates them.
 */
public record OrderId(UUID value) {

    public OrderId {
        Require.present(value, "orderId");
    }

    /**
     * Reads an id from its canonical UUID text.
     *
     * @throws InvalidOrderData with field {@code orderId} when the text is not a UUID
     */
    public static OrderId of(String text) {
        Require.nonBlank(text, "orderId");
        try {
            return new OrderId(UUID.fromString(text));
        } catch (IllegalArgumentException notAUuid) {
            throw new InvalidOrderData("orderId", "is not a valid UUID: " + text);
        }
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
