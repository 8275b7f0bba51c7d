package org.pgeventstore.domain.order;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;

/**
 * A paid order was handed to a carrier. The estimated delivery date may be absent (a null
 * Optional is read as empty).
 */
public record OrderShipped(
        String trackingNumber,
        String carrier,
        Optional<LocalDate> estimatedDelivery,
        Instant shippedAt) implements OrderEvent {

    public OrderShipped {
        requireNonNull(trackingNumber, "trackingNumber");
        requireNonNull(carrier, "carrier");
        estimatedDelivery = Require.orEmpty(estimatedDelivery);
        requireNonNull(shippedAt, "shippedAt");
    }
}
