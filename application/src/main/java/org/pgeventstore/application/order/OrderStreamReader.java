package org.pgeventstore.application.order;

import java.util.ArrayList;
import java.util.List;
import org.pgeventstore.application.eventstore.EventStore;
import org.pgeventstore.application.eventstore.RecordedEvent;
import org.pgeventstore.application.eventstore.StreamId;
import org.pgeventstore.application.eventstore.StreamSlice;
import org.pgeventstore.domain.order.Order;
import org.pgeventstore.domain.order.OrderEvent;
import org.pgeventstore.domain.order.OrderId;
import org.pgeventstore.domain.order.OrderPlaced;

/** Reads an order's stream page by page and folds it into an {@link Order}. */
final class OrderStreamReader {

    static final int DEFAULT_PAGE_SIZE = 500;

    /** Events read from a stream, oldest first, and the stream's version as of the last page read. */
    record Read(List<RecordedEvent> events, long streamVersion) {
    }

    private final EventStore store;
    private final OrderEventRegistry registry;
    private final int pageSize;

    OrderStreamReader(EventStore store, OrderEventRegistry registry, int pageSize) {
        if (pageSize < 1) {
            throw new IllegalArgumentException("pageSize must be positive, was " + pageSize);
        }
        this.store = store;
        this.registry = registry;
        this.pageSize = pageSize;
    }

    /** Every event of the stream. */
    Read readAll(StreamId stream) {
        return readUpTo(stream, Long.MAX_VALUE);
    }

    /**
     * The events with versions 1 to {@code lastVersion} (fewer if the stream is shorter). Stops at
     * the stream's version as reported with each page rather than at a short page, so a store that
     * caps the page size below the one asked for is still read to the end.
     */
    Read readUpTo(StreamId stream, long lastVersion) {
        List<RecordedEvent> events = new ArrayList<>();
        long streamVersion = 0;
        long from = 1;
        while (from <= lastVersion) {
            StreamSlice slice = store.read(stream, from, (int) Math.min(pageSize, lastVersion - from + 1));
            streamVersion = slice.version();
            for (RecordedEvent event : slice.events()) {
                if (event.version() != events.size() + 1L) {
                    throw new IllegalStateException("reading stream " + stream + " from version " + from
                            + " returned version " + event.version() + " where " + (events.size() + 1L) + " was due");
                }
                events.add(event);
            }
            if (slice.events().isEmpty() || events.size() >= streamVersion) {
                break;
            }
            from = events.size() + 1L;
        }
        return new Read(events, streamVersion);
    }

    /**
     * The order that {@code events}, the stream of {@code orderId} from version 1, record.
     *
     * @throws UnreadableOrderEvent when an event cannot be read or cannot follow the ones before it
     */
    Order fold(OrderId orderId, List<RecordedEvent> events) {
        Order state = Order.initial();
        for (RecordedEvent recorded : events) {
            OrderEvent event = registry.fromRecorded(recorded);
            if (event instanceof OrderPlaced placed && !placed.orderId().equals(orderId)) {
                throw new CorruptEvent(recorded.streamId(), recorded.version(), recorded.type(),
                        "it places order " + placed.orderId() + " in the stream of order " + orderId, null);
            }
            try {
                state = Order.evolve(state, event);
            } catch (IllegalStateException impossible) {
                throw new CorruptEvent(recorded.streamId(), recorded.version(), recorded.type(),
                        impossible.getMessage(), impossible);
            }
        }
        return state;
    }
}
