package org.pgeventstore.application.order;

import java.util.List;
import org.pgeventstore.application.aggregate.AggregateLoader;
import org.pgeventstore.application.aggregate.LoadTarget;
import org.pgeventstore.application.aggregate.Loaded;
import org.pgeventstore.application.eventstore.EventStore;
import org.pgeventstore.application.eventstore.RecordedEvent;
import org.pgeventstore.application.eventstore.StreamId;
import org.pgeventstore.application.snapshot.Snapshotting;
import org.pgeventstore.domain.order.Order;
import org.pgeventstore.domain.order.OrderEvent;
import org.pgeventstore.domain.order.OrderId;

/**
 * Reads an order's stream and folds it into an {@link Order}: the generic {@link AggregateLoader}
 * (snapshots, recent states, paging, the targets of a load) addressed by order id. An event that
 * cannot be read or cannot follow the ones before it throws {@link UnreadableOrderEvent}.
 */
final class OrderStreamReader {

    static final int DEFAULT_PAGE_SIZE = AggregateLoader.DEFAULT_PAGE_SIZE;

    private final AggregateLoader<OrderEvent, Order> loader;

    OrderStreamReader(EventStore store, OrderEventRegistry registry, int pageSize) {
        this(store, registry, pageSize, Snapshotting.off());
    }

    OrderStreamReader(EventStore store, OrderEventRegistry registry, int pageSize, Snapshotting snapshotting) {
        this.loader = new AggregateLoader<>(store, OrderAggregate.type(registry), pageSize, snapshotting);
    }

    AggregateLoader<OrderEvent, Order> loader() {
        return loader;
    }

    /** Every event of the stream, for its history. */
    AggregateLoader.Read readAll(StreamId stream) {
        return loader.readAll(stream);
    }

    /** The stream's current version, 0 when the order was never placed. */
    long currentVersion(OrderId orderId) {
        return loader.currentVersion(OrderStreams.streamOf(orderId));
    }

    /** Rebuilds the order as {@code target} asks; see {@link AggregateLoader#load}. */
    Loaded<Order> load(OrderId orderId, LoadTarget target) {
        return loader.load(OrderStreams.streamOf(orderId), target);
    }

    /** Offers the state a load of the current order rebuilt to the snapshot writer, whose policy decides. */
    void offerSnapshot(OrderId orderId, Loaded<Order> loaded) {
        loader.offerSnapshot(OrderStreams.streamOf(orderId), loaded);
    }

    /**
     * The order that {@code events}, the stream of {@code orderId} from version 1, record.
     *
     * @throws UnreadableOrderEvent when an event cannot be read or cannot follow the ones before it
     */
    Order fold(OrderId orderId, List<RecordedEvent> events) {
        return loader.fold(Order.initial(), events);
    }
}
