package org.pgeventstore.domain.order;

import java.time.LocalDate;
import java.util.Optional;

/**
 * Hand a paid order to a carrier. Tracking number and carrier must not be blank; the estimated
 * delivery date is optional (a null Optional is read as empty).
 */
public record ShipOrder(
        OrderId orderId,
        String trackingNumber,
        String carrier,
        Optional<LocalDate> estimatedDelivery) implements OrderCommand {

    public ShipOrder {
        Require.present(orderId, "orderId");
        Require.nonBlank(trackingNumber, "trackingNumber");
        Require.nonBlank(carrier, "carrier");
        estimatedDelivery = Require.orEmpty(estimatedDelivery);
    }
}
