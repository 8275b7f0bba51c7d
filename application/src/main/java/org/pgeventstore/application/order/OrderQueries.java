package org.pgeventstore.application.order;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.pgeventstore.application.eventstore.EventStore;
import org.pgeventstore.application.eventstore.RecordedEvent;
import org.pgeventstore.application.eventstore.StreamId;
import org.pgeventstore.domain.order.OrderId;

/**
 * Reads of one order straight from its event stream: now, at a version, as of an instant, and
 * its raw history. Each read folds the events again; nothing is cached.
 *
 * <p>Reads throw {@link UnknownOrder} for an order that was never placed (or not yet, for a
 * read as of an instant), {@link VersionOutOfRange} for a version the order does not have, and
 * {@link UnreadableOrderEvent} when a stored event cannot be read back.
 */
public final class OrderQueries {

    private final OrderStreamReader reader;
    private final OrderEventRegistry registry;

    public OrderQueries(EventStore store, OrderEventRegistry registry) {
        this.registry = registry;
        this.reader = new OrderStreamReader(Objects.requireNonNull(store, "store"),
                Objects.requireNonNull(registry, "registry"), OrderStreamReader.DEFAULT_PAGE_SIZE);
    }

    /** The order now. */
    public OrderState current(OrderId orderId) {
        List<RecordedEvent> events = reader.readAll(OrderStreams.streamOf(orderId)).events();
        return rebuild(orderId, events, Optional.empty());
    }

    /** The order right after its event {@code version}: only events 1 to {@code version} are folded. */
    public OrderState atVersion(OrderId orderId, long version) {
        // At least one event is read, so that the stream's version is known even for a version below 1.
        OrderStreamReader.Read read = reader.readUpTo(OrderStreams.streamOf(orderId), Math.max(version, 1));
        if (read.streamVersion() == 0) {
            throw new UnknownOrder(orderId, Optional.empty());
        }
        if (version < 1 || version > read.streamVersion()) {
            throw new VersionOutOfRange(orderId, version, read.streamVersion());
        }
        return rebuild(orderId, read.events(), Optional.empty());
    }

    /**
     * The order as it stood at {@code instant}: the events stored at or before it
     * ({@code occurredAt <= instant}), folded. The events taken are the longest run from the
     * first one that qualifies, so the result is always a state the order really passed through,
     * even if a store's clock let a later event carry an earlier timestamp.
     */
    public OrderState asOf(OrderId orderId, Instant instant) {
        Objects.requireNonNull(instant, "instant");
        List<RecordedEvent> events = reader.readAll(OrderStreams.streamOf(orderId)).events();
        int count = 0;
        while (count < events.size() && !events.get(count).occurredAt().isAfter(instant)) {
            count++;
        }
        return rebuild(orderId, events.subList(0, count), Optional.of(instant));
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

    private OrderState rebuild(OrderId orderId, List<RecordedEvent> events, Optional<Instant> asOf) {
        if (events.isEmpty()) {
            throw new UnknownOrder(orderId, asOf);
        }
        return new OrderState(reader.fold(orderId, events), events.getLast().position());
    }
}
