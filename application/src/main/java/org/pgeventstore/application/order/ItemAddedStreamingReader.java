package org.pgeventstore.application.order;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.time.Instant;
import org.pgeventstore.application.aggregate.JsonEventCodec;
import org.pgeventstore.domain.order.LineItem;
import org.pgeventstore.domain.order.Money;
import org.pgeventstore.domain.order.OrderItemAdded;

/**
 * Reads {@code OrderItemAdded} data of its current shape, {@code {lineItem, subtotal,
 * shippingCost, total}}, straight from the parser, in any member order (the store's {@code jsonb}
 * reorders them). It is the one type an order's stream holds many of (one per line), so it is
 * the one whose tree was the load's main cost; the other types occur once per order and are read
 * through the tree. Data with a member missing, unknown, repeated, null or of another type is
 * left to the tree reader ({@code null}), which reads it the same way or names what is wrong.
 */
final class ItemAddedStreamingReader implements JsonEventCodec.StreamingReader<OrderItemAdded> {

    @Override
    public OrderItemAdded read(JsonParser parser, Instant occurredAt) throws IOException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            return null;
        }
        LineItem lineItem = null;
        Money subtotal = null;
        Money shippingCost = null;
        Money total = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            parser.nextToken();
            switch (field) {
                case "lineItem" -> {
                    if (lineItem != null || (lineItem = lineItem(parser)) == null) {
                        return null;
                    }
                }
                case "subtotal" -> {
                    if (subtotal != null || (subtotal = money(parser, field)) == null) {
                        return null;
                    }
                }
                case "shippingCost" -> {
                    if (shippingCost != null || (shippingCost = money(parser, field)) == null) {
                        return null;
                    }
                }
                case "total" -> {
                    if (total != null || (total = money(parser, field)) == null) {
                        return null;
                    }
                }
                default -> {
                    return null;
                }
            }
        }
        if (lineItem == null || subtotal == null || shippingCost == null || total == null) {
            return null;
        }
        return new OrderItemAdded(lineItem, subtotal, shippingCost, total);
    }

    /** The line item whose object the parser stands on, or null when it is not exactly the shape written. */
    private static LineItem lineItem(JsonParser parser) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            return null;
        }
        String productId = null;
        String sku = null;
        String name = null;
        Integer quantity = null;
        Money unitPrice = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            parser.nextToken();
            switch (field) {
                case "productId" -> {
                    if (productId != null || (productId = text(parser)) == null) {
                        return null;
                    }
                }
                case "sku" -> {
                    if (sku != null || (sku = text(parser)) == null) {
                        return null;
                    }
                }
                case "name" -> {
                    if (name != null || (name = text(parser)) == null) {
                        return null;
                    }
                }
                case "quantity" -> {
                    if (quantity != null || parser.currentToken() != JsonToken.VALUE_NUMBER_INT
                            || parser.getNumberType() != JsonParser.NumberType.INT) {
                        return null;
                    }
                    quantity = parser.getIntValue();
                }
                case "unitPrice" -> {
                    if (unitPrice != null || (unitPrice = money(parser, field)) == null) {
                        return null;
                    }
                }
                default -> {
                    return null;
                }
            }
        }
        if (productId == null || sku == null || name == null || quantity == null || unitPrice == null) {
            return null;
        }
        return new LineItem(productId, sku, name, quantity, unitPrice);
    }

    private static String text(JsonParser parser) throws IOException {
        return parser.currentToken() == JsonToken.VALUE_STRING ? parser.getText() : null;
    }

    private static Money money(JsonParser parser, String field) throws IOException {
        return parser.currentToken().isNumeric() ? Money.of(parser.getDecimalValue(), field) : null;
    }
}
