package org.pgeventstore.application.order;

import static org.pgeventstore.application.order.JsonFields.instant;
import static org.pgeventstore.application.order.JsonFields.money;
import static org.pgeventstore.application.order.JsonFields.optional;
import static org.pgeventstore.application.order.JsonFields.text;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.pgeventstore.application.snapshot.Snapshot;
import org.pgeventstore.application.snapshot.UnreadableSnapshot;
import org.pgeventstore.domain.order.CustomerId;
import org.pgeventstore.domain.order.InvalidOrderData;
import org.pgeventstore.domain.order.LineItem;
import org.pgeventstore.domain.order.Order;
import org.pgeventstore.domain.order.OrderId;
import org.pgeventstore.domain.order.OrderStatus;
import org.pgeventstore.domain.order.PlaceOrder;

/**
 * The one place where an {@link Order} state becomes snapshot JSON and back, field by field,
 * never by reflection.
 *
 * <p><b>Shape, schema version {@value #SCHEMA_VERSION}:</b> {@code id, orderNumber, customerId,
 * status} (the enum's name, e.g. {@code PAID}), {@code lineItems, subtotal, shippingCost, total,
 * currency, shippingAddress, placedAt, paidAt?, shippedAt?, deliveredAt?, cancelledAt?, amountPaid, version};
 * addresses, money and instants as in {@link OrderEventRegistry}'s event data. The line items are
 * columns, one array per component ({@link LineItemColumns}), read by the streaming parser
 * without a tree: a long order's state is almost all line items, and a cold load decodes it whole.
 *
 * <p><b>Changing the shape.</b> Snapshots are a cache of what the events say, so there is no
 * upcasting: raise {@link #SCHEMA_VERSION} whenever {@code Order} or this shape changes, and the
 * snapshots of the old shape become invisible to loads, which replay the events and store
 * snapshots of the new shape. {@code OrderSnapshotCodecTest} fails when {@code Order}'s
 * components change without the constant being raised.
 */
public final class OrderSnapshotCodec {

    /** The shape of the state this codec writes and the only one it reads. */
    // 2: the order's currency (snapshots of version 1 predate it and are ignored, then replaced).
    // 3: times are the event store's (placedAt, paidAt, ... from each event's occurredAt); states of
    //    version 2 hold the service's clock and are ignored, then replaced.
    // 4: line items as columns (states of version 3 hold one object per line and are ignored, then replaced).
    public static final int SCHEMA_VERSION = 4;

    /** The JSON of a placed order's state. */
    public String encode(Order order) {
        Objects.requireNonNull(order, "order");
        if (!order.exists()) {
            throw new IllegalArgumentException("only a placed order has a state worth a snapshot");
        }
        ObjectNode json = JsonFields.object();
        json.put("id", order.id().value().toString());
        json.put("orderNumber", order.orderNumber());
        json.put("customerId", order.customerId().value());
        json.put("status", order.status().name());
        json.set(LineItemColumns.FIELD, LineItemColumns.write(order.lineItems()));
        json.set("subtotal", JsonFields.money(order.subtotal()));
        json.set("shippingCost", JsonFields.money(order.shippingCost()));
        json.set("total", JsonFields.money(order.total()));
        json.put("currency", order.currency().getCurrencyCode());
        json.set("shippingAddress", OrderEventRegistry.address(order.shippingAddress()));
        json.put("placedAt", order.placedAt().toString());
        order.paidAt().ifPresent(at -> json.put("paidAt", at.toString()));
        order.shippedAt().ifPresent(at -> json.put("shippedAt", at.toString()));
        order.deliveredAt().ifPresent(at -> json.put("deliveredAt", at.toString()));
        order.cancelledAt().ifPresent(at -> json.put("cancelledAt", at.toString()));
        json.set("amountPaid", JsonFields.money(order.amountPaid()));
        json.put("version", order.version());
        return JsonFields.write(json);
    }

    /**
     * The order a snapshot of this codec's shape holds, which must be at the snapshot's version.
     *
     * @throws UnreadableSnapshot when the snapshot is of another schema version, or its state is
     *     not this shape or not at its version
     */
    public Order decode(Snapshot snapshot) {
        Objects.requireNonNull(snapshot, "snapshot");
        if (snapshot.schemaVersion() != SCHEMA_VERSION) {
            throw unreadable(snapshot, "its schema version is " + snapshot.schemaVersion() + ", this reader knows "
                    + SCHEMA_VERSION, null);
        }
        Order order;
        try (JsonParser parser = JsonFields.parser(snapshot.state())) {
            order = read(parser);
        } catch (JsonProcessingException notJson) {
            throw unreadable(snapshot, "its state is not JSON: " + notJson.getOriginalMessage(), notJson);
        } catch (IOException unreadableText) {
            throw unreadable(snapshot, "its state cannot be read: " + unreadableText.getMessage(), unreadableText);
        } catch (InvalidOrderData invalid) {
            throw unreadable(snapshot, "its state field " + invalid.getMessage(), invalid);
        }
        if (order.version() != snapshot.version()) {
            throw unreadable(snapshot, "its state is at version " + order.version(), null);
        }
        return order;
    }

    /** The line items straight from the parser into records; the few other fields through a small tree. */
    private static Order read(JsonParser parser) throws IOException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            throw new InvalidOrderData("state", "is not a JSON object");
        }
        ObjectNode json = JsonFields.object();
        List<LineItem> lineItems = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            parser.nextToken();
            if (field.equals(LineItemColumns.FIELD)) {
                lineItems = LineItemColumns.read(parser);
            } else {
                json.set(field, parser.readValueAsTree());
            }
        }
        if (lineItems == null) {
            throw new InvalidOrderData(LineItemColumns.FIELD, "is missing");
        }
        return read(json, lineItems);
    }

    private static Order read(JsonNode json, List<LineItem> lineItems) {
        OrderStatus status = status(text(json, "status"));
        JsonNode version = JsonFields.required(json, "version");
        if (!version.isIntegralNumber() || !version.canConvertToLong() || version.longValue() < 1) {
            throw new InvalidOrderData("version", "is not a version of 1 or more: " + version);
        }
        return new Order(
                OrderId.of(text(json, "id")),
                text(json, "orderNumber"),
                new CustomerId(text(json, "customerId")),
                status,
                lineItems,
                money(json, "subtotal"),
                money(json, "shippingCost"),
                money(json, "total"),
                PlaceOrder.currency(text(json, "currency")),
                OrderEventRegistry.readAddress(json),
                instant(json, "placedAt"),
                optionalInstant(json, "paidAt"),
                optionalInstant(json, "shippedAt"),
                optionalInstant(json, "deliveredAt"),
                optionalInstant(json, "cancelledAt"),
                money(json, "amountPaid"),
                version.longValue());
    }

    private static OrderStatus status(String name) {
        try {
            OrderStatus status = OrderStatus.valueOf(name);
            if (status != OrderStatus.NOT_PLACED) {
                return status;
            }
        } catch (IllegalArgumentException unknown) {
            // reported below
        }
        throw new InvalidOrderData("status", "is not the status of a placed order: " + name);
    }

    private static Optional<Instant> optionalInstant(JsonNode json, String field) {
        return optional(json, field).isPresent() ? Optional.of(instant(json, field)) : Optional.empty();
    }

    private static UnreadableSnapshot unreadable(Snapshot snapshot, String reason, Throwable cause) {
        return new UnreadableSnapshot("the snapshot of stream " + snapshot.stream() + " at version "
                + snapshot.version() + " is unreadable: " + reason, cause);
    }
}
