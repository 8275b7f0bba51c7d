package org.pgeventstore.application.order;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.pgeventstore.application.snapshot.Snapshot;
import org.pgeventstore.application.snapshot.StateBytes;
import org.pgeventstore.application.snapshot.UnreadableSnapshot;
import org.pgeventstore.domain.order.CustomerId;
import org.pgeventstore.domain.order.InvalidOrderData;
import org.pgeventstore.domain.order.LineItem;
import org.pgeventstore.domain.order.Money;
import org.pgeventstore.domain.order.Order;
import org.pgeventstore.domain.order.OrderId;
import org.pgeventstore.domain.order.OrderStatus;
import org.pgeventstore.domain.order.PlaceOrder;
import org.pgeventstore.domain.order.ShippingAddress;

/**
 * The one place where an {@link Order} state becomes snapshot bytes and back, field by field,
 * never by reflection.
 *
 * <p><b>Shape, schema version {@value #SCHEMA_VERSION}:</b> {@link StateBytes}, in this order:
 * the texts {@code id, orderNumber, customerId, status} (the enum's name, e.g. {@code PAID}),
 * {@code currency}; the amounts {@code subtotal, shippingCost, total, amountPaid} as decimal text
 * with two decimals; the address's {@code line1, city, country, postalCode}; the instant
 * {@code placedAt}, then {@code paidAt, shippedAt, deliveredAt, cancelledAt} each as a flag and,
 * when set, the instant; the {@code version}; the distinct unit prices (a count, then each amount);
 * the line items (a count, then per line {@code productId, sku, name}, the {@code quantity} and the
 * index of its unit price among the prices); the checksum.
 *
 * <p>Why binary: a long order's state is almost all line items, and a cold load decodes it whole.
 * Read from JSON, even columns of it through the streaming parser, 10,000 lines cost about 1.4 ms
 * of tokenizing; read from these bytes they cost the strings' copies. Each distinct price is
 * validated once rather than once per line.
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
    // 4: line items as JSON columns (states of version 3 hold one object per line and are ignored, then replaced).
    // 5: binary (StateBytes); states of version 4 are JSON and are ignored, then replaced.
    public static final int SCHEMA_VERSION = 5;

    static final String LINE_ITEMS = "lineItems";

    // A line is at least its three non-blank strings (a length and a byte each), quantity and price index.
    private static final int MIN_LINE_BYTES = 8;
    // A guess at a line's size, so that a long order's state is not copied as it grows.
    private static final int TYPICAL_LINE_BYTES = 40;

    /** The bytes of a placed order's state. */
    public byte[] encode(Order order) {
        Objects.requireNonNull(order, "order");
        if (!order.exists()) {
            throw new IllegalArgumentException("only a placed order has a state worth a snapshot");
        }
        StateBytes.Writer out = new StateBytes.Writer(256 + order.lineItems().size() * TYPICAL_LINE_BYTES);
        out.text(order.id().value().toString())
                .text(order.orderNumber())
                .text(order.customerId().value())
                .text(order.status().name())
                .text(order.currency().getCurrencyCode());
        for (Money amount : List.of(order.subtotal(), order.shippingCost(), order.total(), order.amountPaid())) {
            money(out, amount);
        }
        ShippingAddress address = order.shippingAddress();
        out.text(address.line1()).text(address.city()).text(address.country()).text(address.postalCode());
        out.instant(order.placedAt());
        for (Optional<Instant> at : List.of(order.paidAt(), order.shippedAt(), order.deliveredAt(), order.cancelledAt())) {
            out.bool(at.isPresent());
            at.ifPresent(out::instant);
        }
        out.varint(order.version());
        writeLines(out, order.lineItems());
        return out.finish();
    }

    private static void writeLines(StateBytes.Writer out, List<LineItem> items) {
        Map<Money, Integer> indexOfPrice = new HashMap<>();
        List<Money> prices = new ArrayList<>();
        int[] priceIndexes = new int[items.size()];
        for (int i = 0; i < items.size(); i++) {
            Money price = items.get(i).unitPrice();
            Integer index = indexOfPrice.get(price);
            if (index == null) {
                index = prices.size();
                indexOfPrice.put(price, index);
                prices.add(price);
            }
            priceIndexes[i] = index;
        }
        out.varint(prices.size());
        prices.forEach(price -> money(out, price));
        out.varint(items.size());
        for (int i = 0; i < items.size(); i++) {
            LineItem item = items.get(i);
            out.text(item.productId()).text(item.sku()).text(item.name()).varint(item.quantity()).varint(priceIndexes[i]);
        }
    }

    private static void money(StateBytes.Writer out, Money amount) {
        out.text(amount.amount().toPlainString());
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
        try {
            StateBytes.Reader in = StateBytes.Reader.of(snapshot.state());
            order = read(in);
            in.finish();
        } catch (StateBytes.Malformed malformed) {
            throw unreadable(snapshot, "its state " + malformed.getMessage(), malformed);
        } catch (InvalidOrderData invalid) {
            throw unreadable(snapshot, "its state field " + invalid.getMessage(), invalid);
        }
        if (order.version() != snapshot.version()) {
            throw unreadable(snapshot, "its state is at version " + order.version(), null);
        }
        return order;
    }

    private static Order read(StateBytes.Reader in) {
        OrderId id = OrderId.of(in.text());
        String orderNumber = in.text();
        CustomerId customerId = new CustomerId(in.text());
        OrderStatus status = status(in.text());
        Currency currency = PlaceOrder.currency(in.text());
        Money subtotal = money(in, "subtotal");
        Money shippingCost = money(in, "shippingCost");
        Money total = money(in, "total");
        Money amountPaid = money(in, "amountPaid");
        ShippingAddress address = address(in);
        Instant placedAt = in.instant();
        Optional<Instant> paidAt = optionalInstant(in);
        Optional<Instant> shippedAt = optionalInstant(in);
        Optional<Instant> deliveredAt = optionalInstant(in);
        Optional<Instant> cancelledAt = optionalInstant(in);
        long version = in.varint();
        if (version < 1) {
            throw new InvalidOrderData("version", "is not a version of 1 or more: " + version);
        }
        return new Order(id, orderNumber, customerId, status, readLines(in), subtotal, shippingCost, total, currency,
                address, placedAt, paidAt, shippedAt, deliveredAt, cancelledAt, amountPaid, version);
    }

    private static List<LineItem> readLines(StateBytes.Reader in) {
        int priceCount = in.count();
        if (priceCount > in.remaining()) {
            throw new StateBytes.Malformed("claims " + priceCount + " prices in " + in.remaining() + " bytes");
        }
        List<Money> prices = new ArrayList<>(priceCount);
        for (int i = 0; i < priceCount; i++) {
            prices.add(money(in, LINE_ITEMS + ".prices[" + i + "]"));
        }
        int size = in.count();
        if (size > in.remaining() / MIN_LINE_BYTES) {
            throw new StateBytes.Malformed("claims " + size + " line items in " + in.remaining() + " bytes");
        }
        List<LineItem> items = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            String productId = in.text();
            String sku = in.text();
            String name = in.text();
            int quantity = in.count();
            int price = in.count();
            if (price >= prices.size()) {
                throw new InvalidOrderData(LINE_ITEMS + "[" + i + "].unitPrice", "is not an index of prices: " + price);
            }
            try {
                items.add(new LineItem(productId, sku, name, quantity, prices.get(price)));
            } catch (InvalidOrderData invalid) {
                throw invalid.within(LINE_ITEMS + "[" + i + "]");
            }
        }
        return items;
    }

    private static Money money(StateBytes.Reader in, String field) {
        String text = in.text();
        try {
            return Money.of(new BigDecimal(text), field);
        } catch (NumberFormatException notANumber) {
            throw new InvalidOrderData(field, "is not a decimal number: " + text);
        }
    }

    private static ShippingAddress address(StateBytes.Reader in) {
        String line1 = in.text();
        String city = in.text();
        String country = in.text();
        String postalCode = in.text();
        try {
            return new ShippingAddress(line1, city, country, postalCode);
        } catch (InvalidOrderData invalid) {
            throw invalid.within("shippingAddress");
        }
    }

    private static Optional<Instant> optionalInstant(StateBytes.Reader in) {
        return in.bool() ? Optional.of(in.instant()) : Optional.empty();
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

    private static UnreadableSnapshot unreadable(Snapshot snapshot, String reason, Throwable cause) {
        return new UnreadableSnapshot("the snapshot of stream " + snapshot.stream() + " at version "
                + snapshot.version() + " is unreadable: " + reason, cause);
    }
}
