package org.pgeventstore.application.order;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;
import org.pgeventstore.domain.order.AddItem;
import org.pgeventstore.domain.order.CancelOrder;
import org.pgeventstore.domain.order.DeliverOrder;
import org.pgeventstore.domain.order.InvalidOrderData;
import org.pgeventstore.domain.order.LineItem;
import org.pgeventstore.domain.order.OrderCommand;
import org.pgeventstore.domain.order.OrderId;
import org.pgeventstore.domain.order.PayOrder;
import org.pgeventstore.domain.order.PlaceOrder;
import org.pgeventstore.domain.order.ShipOrder;

/**
 * A client's idempotency key for an order command, and everything derived from it.
 *
 * <p>The key is remembered without a table of its own. For a placement, the order id and the id
 * of the placing event are name-based UUIDs of the key, so the same key always addresses the same
 * stream, and the event store's "stream must not exist" check is what makes the first placement
 * win. For a command on an existing order, the ids of the events it appends are name-based UUIDs
 * of the order id and the key, so a repeat finds the events its first run appended, and an event
 * id stored once is what makes the first run win. Keys are global for placements and per order for
 * other commands, not per user; the request hash stored with the events tells a repeat from a reuse.
 */
record IdempotencyKey(String value) {

    static final int MAX_LENGTH = 255;

    private static final String ORDER_ID_NAMESPACE = "pg-eventstore/order-id/idempotency-key/";
    private static final String EVENT_ID_NAMESPACE = "pg-eventstore/order-event-id/idempotency-key/";
    private static final String COMMAND_EVENT_ID_NAMESPACE = "pg-eventstore/order-command-event-id/idempotency-key/";

    IdempotencyKey {
        if (value == null || value.isBlank()) {
            throw new InvalidOrderData("idempotencyKey", "must not be blank");
        }
        if (value.length() > MAX_LENGTH) {
            throw new InvalidOrderData("idempotencyKey", "must be at most " + MAX_LENGTH + " characters, was " + value.length());
        }
    }

    OrderId orderId() {
        return new OrderId(UUID.nameUUIDFromBytes((ORDER_ID_NAMESPACE + value).getBytes(UTF_8)));
    }

    /** The id of the {@code index}-th event (from 0) of the placing append. */
    UUID eventId(int index) {
        return UUID.nameUUIDFromBytes((EVENT_ID_NAMESPACE + index + "/" + value).getBytes(UTF_8));
    }

    /** The id of the {@code index}-th event (from 0) a command under this key appends to order {@code orderId}. */
    UUID eventId(OrderId orderId, int index) {
        return UUID.nameUUIDFromBytes((COMMAND_EVENT_ID_NAMESPACE + orderId.value() + "/" + index + "/" + value)
                .getBytes(UTF_8));
    }

    /** The SHA-256 of the key, hex: lets an operator match an order to a key without storing the key. */
    String hash() {
        return sha256(value);
    }

    /**
     * The SHA-256, hex, of a canonical JSON form of {@code order}: equal for requests that place the
     * same order (amounts compared by value, so {@code 5} and {@code 5.00} are the same request).
     */
    static String requestHashOf(NewOrder order) {
        ObjectNode canonical = JsonFields.object();
        canonical.put("customerId", order.customerId().value());
        ArrayNode items = canonical.putArray("lineItems");
        for (LineItem item : order.lineItems()) {
            items.addObject()
                    .put("productId", item.productId())
                    .put("sku", item.sku())
                    .put("name", item.name())
                    .put("quantity", item.quantity())
                    .put("unitPrice", item.unitPrice().toString());
        }
        canonical.putObject("shippingAddress")
                .put("line1", order.shippingAddress().line1())
                .put("city", order.shippingAddress().city())
                .put("country", order.shippingAddress().country())
                .put("postalCode", order.shippingAddress().postalCode());
        canonical.put("currency", order.currency().getCurrencyCode());
        return sha256(JsonFields.write(canonical));
    }

    /**
     * The SHA-256, hex, of a canonical JSON form of {@code command}, a command on an existing order:
     * equal for requests that ask the same thing (amounts compared by value).
     */
    static String requestHashOf(OrderCommand command) {
        ObjectNode canonical = JsonFields.object();
        canonical.put("command", command.name());
        canonical.put("orderId", command.orderId().value().toString());
        switch (command) {
            case PlaceOrder place -> throw new IllegalArgumentException("a placement is hashed as a NewOrder");
            case AddItem add -> canonical.set("lineItem", OrderEventRegistry.lineItem(add.lineItem()));
            case PayOrder pay -> canonical.put("amount", pay.amount().toString()).put("method", pay.method());
            case ShipOrder ship -> canonical.put("trackingNumber", ship.trackingNumber()).put("carrier", ship.carrier())
                    .put("estimatedDelivery", ship.estimatedDelivery().map(Object::toString).orElse(null));
            case DeliverOrder deliver -> canonical.put("deliveredAt", deliver.deliveredAt().map(Object::toString).orElse(null))
                    .put("signedBy", deliver.signedBy().orElse(null));
            case CancelOrder cancel -> canonical.put("reason", cancel.reason()).put("cancelledBy", cancel.cancelledBy())
                    .put("refundAmount", cancel.refundAmount().map(Object::toString).orElse(null));
        }
        return sha256(JsonFields.write(canonical));
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(UTF_8)));
        } catch (NoSuchAlgorithmException impossible) {
            // Every Java platform is required to provide SHA-256.
            throw new IllegalStateException(impossible);
        }
    }

    @Override
    public String toString() {
        // Keys may be secrets of the client's; never print them.
        return "IdempotencyKey[sha256=" + hash() + "]";
    }
}
