package org.pgeventstore.application.order;

import java.time.Instant;
import org.pgeventstore.application.aggregate.JsonEventCodec;
import org.pgeventstore.application.aggregate.JsonText;
import org.pgeventstore.domain.order.LineItem;
import org.pgeventstore.domain.order.Money;
import org.pgeventstore.domain.order.OrderItemAdded;

/**
 * Reads {@code OrderItemAdded} data of its current shape, {@code {lineItem, subtotal,
 * shippingCost, total}}, straight from its text, in any member order (the store's {@code jsonb}
 * reorders them). It is the one type an order's stream holds many of (one per line), so it is
 * the one whose decoding is the load's main cost; the other types occur once per order and are
 * read through the tree. Data with a member missing, unknown, repeated, null or of another type
 * is left to the tree reader (it throws {@link JsonText.NotTaken} or returns {@code null}), which
 * reads it the same way or names what is wrong.
 */
final class ItemAddedStreamingReader implements JsonEventCodec.StreamingReader<OrderItemAdded> {

    private static final String[] MEMBERS = {"lineItem", "subtotal", "shippingCost", "total"};
    private static final String[] LINE_MEMBERS = {"productId", "sku", "name", "quantity", "unitPrice"};

    @Override
    public OrderItemAdded read(JsonText json, Instant occurredAt) {
        json.beginObject();
        LineItem lineItem = null;
        Money subtotal = null;
        Money shippingCost = null;
        Money total = null;
        do {
            switch (json.member(MEMBERS)) {
                case 0 -> lineItem = JsonText.once(lineItem, lineItem(json));
                case 1 -> subtotal = JsonText.once(subtotal, money(json, "subtotal"));
                case 2 -> shippingCost = JsonText.once(shippingCost, money(json, "shippingCost"));
                default -> total = JsonText.once(total, money(json, "total"));
            }
        } while (json.nextMember());
        json.end();
        if (lineItem == null || subtotal == null || shippingCost == null || total == null) {
            return null;
        }
        return new OrderItemAdded(lineItem, subtotal, shippingCost, total);
    }

    /** The line item object that follows; one with a member missing is not taken. */
    private static LineItem lineItem(JsonText json) {
        json.beginObject();
        String productId = null;
        String sku = null;
        String name = null;
        Integer quantity = null;
        Money unitPrice = null;
        do {
            switch (json.member(LINE_MEMBERS)) {
                case 0 -> productId = JsonText.once(productId, json.string());
                case 1 -> sku = JsonText.once(sku, json.string());
                case 2 -> name = JsonText.once(name, json.string());
                case 3 -> quantity = JsonText.once(quantity, json.integer());
                default -> unitPrice = JsonText.once(unitPrice, money(json, "unitPrice"));
            }
        } while (json.nextMember());
        if (productId == null || sku == null || name == null || quantity == null || unitPrice == null) {
            throw JsonText.notTaken();
        }
        return new LineItem(productId, sku, name, quantity, unitPrice);
    }

    private static Money money(JsonText json, String field) {
        return Money.of(json.decimal(), field);
    }
}
