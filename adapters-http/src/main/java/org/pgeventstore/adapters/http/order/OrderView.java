package org.pgeventstore.adapters.http.order;

import io.swagger.v3.oas.annotations.media.Schema;
import io.micronaut.core.annotation.Nullable;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.pgeventstore.domain.order.LineItem;
import org.pgeventstore.domain.order.Order;
import org.pgeventstore.domain.order.ShippingAddress;

/**
 * An order as the API shows it. {@code position} is the global position of the last event
 * folded into this state: pass it as {@code minPosition} to read your own write from the
 * read model. The time of a step the order has not taken (paid, shipped, ...) is null.
 */
public record OrderView(
        String id,
        String orderNumber,
        String customerId,
        String status,
        List<LineItemView> lineItems,
        BigDecimal subtotal,
        BigDecimal shippingCost,
        BigDecimal total,
        String currency,
        AddressView shippingAddress,
        Instant placedAt,
        @Nullable Instant paidAt,
        @Nullable Instant shippedAt,
        @Nullable Instant deliveredAt,
        @Nullable Instant cancelledAt,
        long version,
        long position) {

    @Schema(name = "OrderLineItem")
    public record LineItemView(String productId, String sku, String name, int quantity, BigDecimal unitPrice,
                               BigDecimal lineTotal) {
        static LineItemView of(LineItem item) {
            return new LineItemView(item.productId(), item.sku(), item.name(), item.quantity(),
                    item.unitPrice().amount(), item.lineTotal().amount());
        }
    }

    @Schema(name = "OrderAddress")
    public record AddressView(String line1, String city, String country, String postalCode) {
        static AddressView of(ShippingAddress address) {
            return new AddressView(address.line1(), address.city(), address.country(), address.postalCode());
        }
    }

    public static OrderView of(Order order, long position) {
        return new OrderView(order.id().toString(), order.orderNumber(), order.customerId().value(),
                order.status().inWords(), order.lineItems().stream().map(LineItemView::of).toList(),
                order.subtotal().amount(), order.shippingCost().amount(), order.total().amount(),
                order.currency().getCurrencyCode(), AddressView.of(order.shippingAddress()), order.placedAt(), order.paidAt().orElse(null),
                order.shippedAt().orElse(null), order.deliveredAt().orElse(null), order.cancelledAt().orElse(null),
                order.version(), position);
    }
}
