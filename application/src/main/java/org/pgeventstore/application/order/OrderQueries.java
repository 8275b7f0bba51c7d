package org.pgeventstore.application.order;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.pgeventstore.application.aggregate.LoadTarget;
import org.pgeventstore.application.aggregate.Loaded;
import org.pgeventstore.application.eventstore.EventStore;
import org.pgeventstore.application.eventstore.RecordedEvent;
import org.pgeventstore.application.eventstore.StreamId;
import org.pgeventstore.application.snapshot.Snapshotting;
import org.pgeventstore.domain.order.Order;
import org.pgeventstore.domain.order.OrderId;

/**
 * Reads of one order from its event stream: now, at a version, as of an instant, and its raw
 * history. With {@link Snapshotting#on snapshots on}, a state read starts from the order's
 * latest snapshot that fits it and folds only the events after it, and a read of the current
 * state offers what it rebuilt to the snapshot writer; the result is the same as folding every
 * event. Nothing is cached in memory.
 *
 * <p>Reads throw {@link UnknownOrder} for an order that was never placed (or not yet, for a
 * read as of an instant), {@link VersionOutOfRange} for a version the order does not have, and
 * {@link UnreadableOrderEvent} when a stored event cannot be read back.
 */
public final class OrderQueries {

    private final EventStore store;
    private final OrderStreamReader reader;
    private final OrderEventRegistry registry;
    private final Snapshotting snapshotting;

    /** Reads that replay every event. */
    public OrderQueries(EventStore store, OrderEventRegistry registry) {
        this(store, registry, Snapshotting.off());
    }

    public OrderQueries(EventStore store, OrderEventRegistry registry, Snapshotting snapshotting) {
        this.store = Objects.requireNonNull(store, "store");
        this.registry = registry;
        this.snapshotting = Objects.requireNonNull(snapshotting, "snapshotting");
        this.reader = new OrderStreamReader(store, Objects.requireNonNull(registry, "registry"),
                OrderStreamReader.DEFAULT_PAGE_SIZE, snapshotting);
    }

    /**
     * These queries as seen by a caller that must read its own write at {@code position} (a
     * command response's position): see {@link EventStore#reflecting(long)}.
     */
    public OrderQueries reflecting(long position) {
        EventStore reflecting = store.reflecting(position);
        return reflecting == store ? this : new OrderQueries(reflecting, registry, snapshotting);
    }

    /** The order now. */
    public OrderState current(OrderId orderId) {
        Loaded<Order> loaded = reader.load(orderId, LoadTarget.CURRENT);
        OrderState state = stateOf(orderId, loaded, Optional.empty());
        reader.offerSnapshot(orderId, loaded);
        return state;
    }

    /** The order right after its event {@code version}: only events 1 to {@code version} are folded. */
    public OrderState atVersion(OrderId orderId, long version) {
        if (version < 1) {
            long current = reader.currentVersion(orderId);
            throw current == 0 ? new UnknownOrder(orderId, Optional.empty()) : new VersionOutOfRange(orderId, version, current);
        }
        Loaded<Order> loaded = reader.load(orderId, new LoadTarget.AtVersion(version));
        OrderState state = stateOf(orderId, loaded, Optional.empty());
        if (version > loaded.streamVersion()) {
            throw new VersionOutOfRange(orderId, version, loaded.streamVersion());
        }
        return state;
    }

    /**
     * The order as it stood at {@code instant}: the events stored at or before it
     * ({@code occurredAt <= instant}), folded. The events taken are the longest run from the
     * first one that qualifies, so the result is always a state the order really passed through,
     * even if a store's clock let a later event carry an earlier timestamp.
     */
    public OrderState asOf(OrderId orderId, Instant instant) {
        Objects.requireNonNull(instant, "instant");
        Loaded<Order> loaded = reader.load(orderId, new LoadTarget.AsOf(instant));
        return stateOf(orderId, loaded, Optional.of(instant));
    }

    /**
     * The order's events, oldest first, for clients that want the history itself: as stored, but
     * each in the current shape of its type (old shapes upcast, old type names replaced), so
     * clients read one shape per type whatever the age of the event.
     */
    public OrderHistory history(OrderId orderId) {
        StreamId stream = OrderStreams.streamOf(orderId);
        List<RecordedEvent> events = reader.readAll(stream).events();
        if (events.isEmpty()) {
            throw new UnknownOrder(orderId, Optional.empty());
        }
        return new OrderHistory(stream.value(), events.getLast().version(),
                events.stream().map(registry::inCurrentShape).toList());
    }

    private static OrderState stateOf(OrderId orderId, Loaded<Order> loaded, Optional<Instant> asOf) {
        if (!loaded.state().exists()) {
            throw new UnknownOrder(orderId, asOf);
        }
        return new OrderState(loaded.state(), loaded.position());
    }
}
