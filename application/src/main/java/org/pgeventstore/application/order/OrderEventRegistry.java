package org.pgeventstore.application.order;

import static org.pgeventstore.application.order.JsonFields.arrayField;
import static org.pgeventstore.application.order.JsonFields.instant;
import static org.pgeventstore.application.order.JsonFields.integer;
import static org.pgeventstore.application.order.JsonFields.money;
import static org.pgeventstore.application.order.JsonFields.objectField;
import static org.pgeventstore.application.order.JsonFields.optionalDate;
import static org.pgeventstore.application.order.JsonFields.optionalText;
import static org.pgeventstore.application.order.JsonFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Currency;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.pgeventstore.application.aggregate.CommandContext;
import org.pgeventstore.application.aggregate.JsonEventCodec;
import org.pgeventstore.application.eventstore.NewEvent;
import org.pgeventstore.application.eventstore.RecordedEvent;
import org.pgeventstore.domain.order.CustomerId;
import org.pgeventstore.domain.order.InvalidOrderData;
import org.pgeventstore.domain.order.LineItem;
import org.pgeventstore.domain.order.OrderCancelled;
import org.pgeventstore.domain.order.OrderDelivered;
import org.pgeventstore.domain.order.OrderEvent;
import org.pgeventstore.domain.order.OrderId;
import org.pgeventstore.domain.order.OrderItemAdded;
import org.pgeventstore.domain.order.OrderPaid;
import org.pgeventstore.domain.order.OrderPlaced;
import org.pgeventstore.domain.order.OrderShipped;
import org.pgeventstore.domain.order.PlaceOrder;
import org.pgeventstore.domain.order.ShippingAddress;

/**
 * The one place where order events become stored events and back: the stored type is
 * {@link OrderEvent#type()}, the data a JSON object written and read field by field (never by
 * reflection, so renaming a record component cannot change what is stored).
 *
 * <p><b>Data shapes</b> (money as JSON numbers with two decimals, instants as ISO-8601 text,
 * dates as {@code yyyy-MM-dd}, an empty optional as an absent field; an explicit {@code null}
 * reads as empty too):
 * <ul>
 *   <li>{@code OrderPlaced} (v3): {@code orderId, orderNumber, customerId, lineItems[], shippingAddress,
 *       subtotal, shippingCost, total, currency}</li>
 *   <li>{@code OrderItemAdded} (v1): {@code lineItem, subtotal, shippingCost, total}</li>
 *   <li>{@code OrderPaid} (v2): {@code amount, method}</li>
 *   <li>{@code OrderShipped} (v2): {@code trackingNumber, carrier, estimatedDelivery?}</li>
 *   <li>{@code OrderDelivered} (v2): {@code deliveredAt?} (only when the carrier reported it), {@code signedBy?}</li>
 *   <li>{@code OrderCancelled} (v2): {@code reason, cancelledBy, refundAmount}</li>
 * </ul>
 * The time of placing, payment, shipment, cancellation and an unreported delivery is the event's
 * {@link RecordedEvent#occurredAt()}, which the event store records with one clock for every
 * instance, so any time an order view shows selects its event in a read "as of" that time.
 * A line item is {@code {productId, sku, name, quantity, unitPrice}}, an address
 * {@code {line1, city, country, postalCode}}.
 *
 * <p><b>Schema versions and upcasting.</b> Every stored event records the schema version of its
 * data's shape ({@link RecordedEvent#schemaVersion()}). This registry declares the order's shapes
 * on the generic {@link JsonEventCodec}, which writes each type in its
 * current shape and reads any older shape by passing its data through the chain of upcasters,
 * version by version (v1 -> v2 -> ... -> current), before the current reader turns it into a
 * record. Renamed types are read through aliases: the old stored name maps to the current one.
 * History of the shapes:
 * <ul>
 *   <li>{@code OrderPlaced} v1 had no {@code currency}: every order then was in
 *       {@link PlaceOrder#DEFAULT_CURRENCY}, which the v1 -> v2 upcaster fills in.</li>
 *   <li>{@code OrderPlaced} v2, {@code OrderPaid}, {@code OrderShipped} and {@code OrderCancelled}
 *       v1 held their time ({@code placedAt}, ...) from the writing instance's clock; the upcasters
 *       drop it, the time read is the store's. {@code OrderDelivered} v1 always held
 *       {@code deliveredAt}, read as reported.</li>
 * </ul>
 * docs/guides/evolving-an-event.md gives the steps for the next change. {@code OrderItemAdded},
 * the event an order has one of per line, is also read straight from its text when its data
 * is in its current shape ({@link ItemAddedStreamingReader}); the tree reader remains the
 * reference for every other case, and its shape is the one to change first.
 *
 * <p>Reading never skips: an event whose type (after aliases) or schema version has no reader
 * or upcaster throws {@link UnknownEventType}, one whose JSON is not what its reader expects
 * throws {@link CorruptEvent}; both name the stream, the version, the type and the schema version.
 */
public final class OrderEventRegistry {

    /** The order's exceptions for events it cannot read, which the HTTP adapter reports as 500s naming the event. */
    private static final JsonEventCodec.Failures FAILURES = new JsonEventCodec.Failures() {
        @Override
        public RuntimeException unknown(RecordedEvent recorded) {
            return new UnknownEventType(recorded.streamId(), recorded.version(), recorded.type(), recorded.schemaVersion());
        }

        @Override
        public RuntimeException corrupt(RecordedEvent recorded, String reason, Throwable cause) {
            String why = cause instanceof InvalidOrderData || cause instanceof DateTimeException
                    ? "data field " + cause.getMessage() : reason;
            return new CorruptEvent(recorded.streamId(), recorded.version(), recorded.type(), why, cause);
        }
    };

    private final Map<String, String> aliases;
    private final JsonEventCodec<OrderEvent> codec;

    public OrderEventRegistry() {
        this(Map.of());
    }

    private OrderEventRegistry(Map<String, String> aliases) {
        this.aliases = Map.copyOf(aliases);
        JsonEventCodec.Builder<OrderEvent> shapes = JsonEventCodec.builder(OrderEvent::type, OrderEventRegistry::write)
                .type("OrderPlaced", 3, OrderEventRegistry::readPlaced)
                .upcast("OrderPlaced", 1, OrderEventRegistry::placedV1ToV2)
                .upcast("OrderPlaced", 2, data -> withoutField(data, "placedAt"))
                .type("OrderItemAdded", 1, OrderEventRegistry::readItemAdded)
                .streaming("OrderItemAdded", new ItemAddedStreamingReader())
                .type("OrderPaid", 2, OrderEventRegistry::readPaid)
                .upcast("OrderPaid", 1, data -> withoutField(data, "paidAt"))
                .type("OrderShipped", 2, OrderEventRegistry::readShipped)
                .upcast("OrderShipped", 1, data -> withoutField(data, "shippedAt"))
                .type("OrderDelivered", 2, OrderEventRegistry::readDelivered)
                .upcast("OrderDelivered", 1, data -> data)
                .type("OrderCancelled", 2, OrderEventRegistry::readCancelled)
                .upcast("OrderCancelled", 1, data -> withoutField(data, "cancelledAt"))
                .failures(FAILURES);
        this.aliases.forEach(shapes::alias);
        this.codec = shapes.build();
    }

    /**
     * This registry, also reading events stored under {@code oldType} as {@code currentType}: for a
     * type renamed after events were stored under its old name.
     */
    public OrderEventRegistry withAlias(String oldType, String currentType) {
        if (!codec.types().contains(currentType)) {
            throw new IllegalArgumentException("no event type " + currentType + " to alias " + oldType + " to");
        }
        Map<String, String> more = new java.util.HashMap<>(aliases);
        more.put(oldType, currentType);
        return new OrderEventRegistry(more);
    }

    /** The order events' codec, for the generic loader and runner. */
    public JsonEventCodec<OrderEvent> codec() {
        return codec;
    }

    /** The schema version this registry writes for {@code type}. */
    public int currentSchemaVersion(String type) {
        return codec.currentSchemaVersion(type);
    }

    /** {@code OrderPlaced} v2 records the order's currency; every v1 order was in the default currency. */
    private static ObjectNode placedV1ToV2(ObjectNode data) {
        if (!data.has("currency")) {
            data.put("currency", PlaceOrder.DEFAULT_CURRENCY.getCurrencyCode());
        }
        return data;
    }

    /**
     * Up to {@code OrderPlaced} v2, {@code OrderPaid}, {@code OrderShipped} and {@code OrderCancelled}
     * v1, the data held the time from the service's clock; the event's time is the store's
     * ({@link RecordedEvent#occurredAt()}), one clock for every instance, so the old field is dropped.
     */
    private static ObjectNode withoutField(ObjectNode data, String field) {
        data.remove(field);
        return data;
    }

    /** The stored types this registry can read, in alphabetical order. */
    public Set<String> types() {
        return codec.types();
    }

    /**
     * The event to append for {@code event}.
     *
     * @param metadataJson a JSON object text, e.g. from {@link CommandContext}; null or blank is {@code {}}
     */
    public NewEvent toNewEvent(OrderEvent event, UUID eventId, String metadataJson) {
        return codec.encode(event, eventId, metadataJson);
    }

    /** The JSON object text stored as the event's data. */
    public String dataOf(OrderEvent event) {
        return codec.data(event);
    }

    /**
     * The order event a stored event records.
     *
     * @throws UnknownEventType when no reader is registered for its type and schema version
     * @throws CorruptEvent when its data is not JSON of the registered shape
     */
    public OrderEvent fromRecorded(RecordedEvent recorded) {
        return codec.decode(recorded);
    }

    /**
     * The stored event as today's readers see it: its current type name, schema version and data
     * shape (upcast, then written as this registry writes it). For history views.
     */
    public RecordedEvent inCurrentShape(RecordedEvent recorded) {
        return codec.inCurrentShape(recorded);
    }

    private static ObjectNode write(OrderEvent event) {
        ObjectNode data = JsonFields.object();
        // No default branch: a new event type must fail compilation here until it has a shape.
        switch (event) {
            case OrderPlaced placed -> {
                data.put("orderId", placed.orderId().value().toString());
                data.put("orderNumber", placed.orderNumber());
                data.put("customerId", placed.customerId().value());
                ArrayNode items = data.putArray("lineItems");
                placed.lineItems().forEach(item -> items.add(lineItem(item)));
                data.set("shippingAddress", address(placed.shippingAddress()));
                data.set("subtotal", JsonFields.money(placed.subtotal()));
                data.set("shippingCost", JsonFields.money(placed.shippingCost()));
                data.set("total", JsonFields.money(placed.total()));
                data.put("currency", placed.currency().getCurrencyCode());
            }
            case OrderItemAdded added -> {
                data.set("lineItem", lineItem(added.lineItem()));
                data.set("subtotal", JsonFields.money(added.subtotal()));
                data.set("shippingCost", JsonFields.money(added.shippingCost()));
                data.set("total", JsonFields.money(added.total()));
            }
            case OrderPaid paid -> {
                data.set("amount", JsonFields.money(paid.amount()));
                data.put("method", paid.method());
            }
            case OrderShipped shipped -> {
                data.put("trackingNumber", shipped.trackingNumber());
                data.put("carrier", shipped.carrier());
                shipped.estimatedDelivery().ifPresent(date -> data.put("estimatedDelivery", date.toString()));
            }
            case OrderDelivered delivered -> {
                if (delivered.reported()) {
                    data.put("deliveredAt", delivered.deliveredAt().toString());
                }
                delivered.signedBy().ifPresent(signedBy -> data.put("signedBy", signedBy));
            }
            case OrderCancelled cancelled -> {
                data.put("reason", cancelled.reason());
                data.put("cancelledBy", cancelled.cancelledBy());
                data.set("refundAmount", JsonFields.money(cancelled.refundAmount()));
            }
        }
        return data;
    }

    static ObjectNode lineItem(LineItem item) {
        ObjectNode node = JsonFields.object();
        node.put("productId", item.productId());
        node.put("sku", item.sku());
        node.put("name", item.name());
        node.put("quantity", item.quantity());
        node.set("unitPrice", JsonFields.money(item.unitPrice()));
        return node;
    }

    static ObjectNode address(ShippingAddress address) {
        ObjectNode node = JsonFields.object();
        node.put("line1", address.line1());
        node.put("city", address.city());
        node.put("country", address.country());
        node.put("postalCode", address.postalCode());
        return node;
    }

    private static OrderPlaced readPlaced(JsonNode data, Instant recordedAt) {
        JsonNode items = arrayField(data, "lineItems");
        List<LineItem> lineItems = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            lineItems.add(readLineItem(items.get(i), "lineItems[" + i + "]"));
        }
        return new OrderPlaced(
                readOrderId(data),
                text(data, "orderNumber"),
                new CustomerId(text(data, "customerId")),
                lineItems,
                readAddress(data),
                money(data, "subtotal"),
                money(data, "shippingCost"),
                money(data, "total"),
                readCurrency(data),
                recordedAt);
    }

    private static Currency readCurrency(JsonNode data) {
        return PlaceOrder.currency(text(data, "currency"));
    }

    // Package-private so that tests can hold the streaming reader to what the tree reader reads.
    static OrderItemAdded readItemAdded(JsonNode data, Instant recordedAt) {
        return new OrderItemAdded(
                readLineItem(JsonFields.required(data, "lineItem"), "lineItem"),
                money(data, "subtotal"),
                money(data, "shippingCost"),
                money(data, "total"));
    }

    private static OrderPaid readPaid(JsonNode data, Instant recordedAt) {
        return new OrderPaid(money(data, "amount"), text(data, "method"), recordedAt);
    }

    private static OrderShipped readShipped(JsonNode data, Instant recordedAt) {
        return new OrderShipped(
                text(data, "trackingNumber"),
                text(data, "carrier"),
                optionalDate(data, "estimatedDelivery"),
                recordedAt);
    }

    /** v2 holds {@code deliveredAt} only when the carrier reported it; v1 always held one, read as reported. */
    private static OrderDelivered readDelivered(JsonNode data, Instant recordedAt) {
        JsonNode reported = data.get("deliveredAt");
        if (reported == null || reported.isNull()) {
            return new OrderDelivered(recordedAt, optionalText(data, "signedBy"), false);
        }
        return new OrderDelivered(instant(data, "deliveredAt"), optionalText(data, "signedBy"), true);
    }

    private static OrderCancelled readCancelled(JsonNode data, Instant recordedAt) {
        return new OrderCancelled(
                text(data, "reason"),
                text(data, "cancelledBy"),
                money(data, "refundAmount"),
                recordedAt);
    }

    private static OrderId readOrderId(JsonNode data) {
        return OrderId.of(text(data, "orderId"));
    }

    static LineItem readLineItem(JsonNode item, String field) {
        try {
            if (!item.isObject()) {
                throw new InvalidOrderData(field, "is not a JSON object");
            }
            return new LineItem(
                    text(item, "productId"),
                    text(item, "sku"),
                    text(item, "name"),
                    integer(item, "quantity"),
                    money(item, "unitPrice"));
        } catch (InvalidOrderData invalid) {
            throw invalid.field().equals(field) ? invalid : invalid.within(field);
        }
    }

    static ShippingAddress readAddress(JsonNode data) {
        JsonNode address = objectField(data, "shippingAddress");
        try {
            return new ShippingAddress(
                    text(address, "line1"),
                    text(address, "city"),
                    text(address, "country"),
                    text(address, "postalCode"));
        } catch (InvalidOrderData invalid) {
            throw invalid.within("shippingAddress");
        }
    }
}
