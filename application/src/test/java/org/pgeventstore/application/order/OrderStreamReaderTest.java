package org.pgeventstore.application.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pgeventstore.application.order.OrderCommandFixtures.CONTEXT;
import static org.pgeventstore.application.order.OrderCommandFixtures.START;
import static org.pgeventstore.application.order.OrderCommandFixtures.STICKER;
import static org.pgeventstore.application.order.OrderCommandFixtures.newOrder;
import static org.pgeventstore.domain.order.OrderFixtures.MUGS;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.pgeventstore.application.aggregate.AggregateLoader;
import org.pgeventstore.application.aggregate.LoadTarget;
import org.pgeventstore.application.aggregate.Loaded;
import org.pgeventstore.application.aggregate.RetryPolicy;
import org.pgeventstore.application.eventstore.InMemoryEventStore;
import org.pgeventstore.application.eventstore.RecordedEvent;
import org.pgeventstore.application.eventstore.StreamId;
import org.pgeventstore.application.eventstore.StreamSlice;
import org.pgeventstore.domain.order.AddItem;
import org.pgeventstore.domain.order.Order;
import org.pgeventstore.domain.order.OrderId;

class OrderStreamReaderTest {

    private static final int EVENTS = 12;

    private final MutableClock clock = new MutableClock(START);
    private final InMemoryEventStore memory = new InMemoryEventStore(clock);
    private final OrderEventRegistry registry = new OrderEventRegistry();
    private final List<Integer> limitsAsked = new ArrayList<>();
    private int pageCap = Integer.MAX_VALUE;

    /** Records every page asked for, and hands out at most {@code pageCap} events per page. */
    private final ForwardingEventStore store = new ForwardingEventStore(memory) {
        @Override
        public StreamSlice read(StreamId stream, long fromVersion, int limit) {
            limitsAsked.add(limit);
            return super.read(stream, fromVersion, Math.min(limit, pageCap));
        }
    };

    private OrderId orderId;
    private StreamId stream;

    @BeforeEach
    void longOrder() {
        OrderCommandHandler handler = OrderCommandFixtures.handler(memory, clock, RetryPolicy.NO_RETRY, delay -> { });
        orderId = handler.place(newOrder(MUGS), CONTEXT).order().id();
        for (int i = 1; i < EVENTS; i++) {
            handler.addItem(new AddItem(orderId, STICKER), CONTEXT);
        }
        stream = OrderStreams.streamOf(orderId);
    }

    @Test
    @DisplayName("reads a stream longer than a page in pages, oldest first")
    void pages() {
        var reader = new OrderStreamReader(store, registry, 5);

        AggregateLoader.Read read = reader.readAll(stream);

        assertThat(read.events()).extracting(RecordedEvent::version)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, EVENTS).boxed().toList());
        assertThat(read.streamVersion()).isEqualTo(EVENTS);
        assertThat(limitsAsked).containsExactly(5, 5, 5);
        Order order = reader.fold(orderId, read.events());
        assertThat(order.version()).isEqualTo(EVENTS);
        assertThat(order.lineItems()).hasSize(EVENTS);
    }

    @Test
    @DisplayName("reads to the end even when the store hands out shorter pages than asked for")
    void shortPages() {
        pageCap = 2;
        var reader = new OrderStreamReader(store, registry, 5);

        assertThat(reader.readAll(stream).events()).hasSize(EVENTS);
        assertThat(limitsAsked).hasSize(EVENTS / 2);
    }

    @Test
    @DisplayName("a load at a version reads only up to that version, in pages")
    void upToVersion() {
        var reader = new OrderStreamReader(store, registry, 5);

        Loaded<Order> loaded = reader.load(orderId, new LoadTarget.AtVersion(7));

        assertThat(loaded.state().version()).isEqualTo(7);
        assertThat(loaded.state().lineItems()).hasSize(7);
        assertThat(loaded.streamVersion()).isEqualTo(EVENTS);
        assertThat(limitsAsked).containsExactly(5, 2);
    }

    @Test
    @DisplayName("a load of the current state folds the same order as the history, in pages")
    void loadCurrent() {
        var reader = new OrderStreamReader(store, registry, 5);

        Loaded<Order> loaded = reader.load(orderId, LoadTarget.CURRENT);

        assertThat(loaded.state()).isEqualTo(reader.fold(orderId, memory.read(stream, 1, 100).events()));
        assertThat(loaded.position()).isEqualTo(memory.read(stream, EVENTS, 1).events().getFirst().position());
        assertThat(loaded.replayed()).isEqualTo(EVENTS);
        assertThat(limitsAsked).containsExactly(5, 5, 5);
    }

    @Test
    @DisplayName("a store that skips a version is caught rather than folded")
    void gap() {
        var gappy = new ForwardingEventStore(memory) {
            @Override
            public StreamSlice read(StreamId id, long fromVersion, int limit) {
                StreamSlice slice = super.read(id, fromVersion, limit);
                return new StreamSlice(slice.streamId(), slice.version(),
                        slice.events().stream().filter(event -> event.version() != 3).toList());
            }
        };

        assertThatThrownBy(() -> new OrderStreamReader(gappy, registry, 5).readAll(stream))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("returned version 4 where 3 was due");
        assertThatThrownBy(() -> new OrderStreamReader(gappy, registry, 5).load(orderId, LoadTarget.CURRENT))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("returned version 4 where 3 was due");
    }

    @Test
    @DisplayName("an empty stream reads as no events at version 0 and folds to the initial state")
    void emptyStream() {
        var reader = new OrderStreamReader(store, registry, 5);
        OrderId unknown = new OrderId(UUID.randomUUID());

        AggregateLoader.Read read = reader.readAll(OrderStreams.streamOf(unknown));

        assertThat(read.events()).isEmpty();
        assertThat(read.streamVersion()).isZero();
        assertThat(reader.fold(unknown, read.events())).isEqualTo(Order.initial());
    }
}
