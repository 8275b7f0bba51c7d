package org.pgeventstore.application.order;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.pgeventstore.application.aggregate.AggregateType;
import org.pgeventstore.application.aggregate.Decider;
import org.pgeventstore.application.aggregate.EventCodec;
import org.pgeventstore.application.aggregate.Evolution;
import org.pgeventstore.application.aggregate.JsonEventCodec;
import org.pgeventstore.application.aggregate.StateCodec;
import org.pgeventstore.application.eventstore.NewEvent;
import org.pgeventstore.application.eventstore.RecordedEvent;
import org.pgeventstore.application.snapshot.Snapshot;
import org.pgeventstore.application.snapshot.UnreadableSnapshot;
import org.pgeventstore.domain.order.Order;
import org.pgeventstore.domain.order.OrderCommand;
import org.pgeventstore.domain.order.OrderEvent;
import org.pgeventstore.domain.order.OrderPlaced;
import org.pgeventstore.domain.order.ShippingPolicy;

/**
 * The Order aggregate as the generic {@link org.pgeventstore.application.aggregate.AggregateLoader}
 * and {@link org.pgeventstore.application.aggregate.CommandRunner} see it: {@link Order}'s decide
 * and evolve, the {@link OrderEventRegistry} and the {@link OrderSnapshotCodec}. Both codecs also
 * check that what they read belongs to the stream it was read from.
 */
final class OrderAggregate {

    private static final Evolution<OrderEvent, Order> EVOLUTION = new Evolution<>() {
        @Override
        public Order initial() {
            return Order.initial();
        }

        @Override
        public Order evolve(Order state, OrderEvent event) {
            return Order.evolve(state, event);
        }
    };

    private OrderAggregate() {
    }

    static AggregateType<OrderEvent, Order> type(OrderEventRegistry registry) {
        return new AggregateType<>(Order.class, EVOLUTION, new Events(Objects.requireNonNull(registry, "registry").codec()),
                new States(new OrderSnapshotCodec()));
    }

    static Decider<OrderCommand, OrderEvent, Order> decider(ShippingPolicy shippingPolicy, Clock clock) {
        Objects.requireNonNull(shippingPolicy, "shippingPolicy");
        Objects.requireNonNull(clock, "clock");
        return new Decider<>() {
            @Override
            public Order initial() {
                return EVOLUTION.initial();
            }

            @Override
            public Order evolve(Order state, OrderEvent event) {
                return EVOLUTION.evolve(state, event);
            }

            @Override
            public List<OrderEvent> decide(Order state, OrderCommand command) {
                return Order.decide(state, command, shippingPolicy, clock);
            }
        };
    }

    /** The registry's codec, which also refuses an order placed in another order's stream. */
    private record Events(JsonEventCodec<OrderEvent> codec) implements EventCodec<OrderEvent> {

        @Override
        public NewEvent encode(OrderEvent event, UUID eventId, String metadata) {
            return codec.encode(event, eventId, metadata);
        }

        @Override
        public OrderEvent decode(RecordedEvent recorded) {
            OrderEvent event = codec.decode(recorded);
            if (event instanceof OrderPlaced placed
                    && !OrderStreams.streamOf(placed.orderId()).value().equals(recorded.streamId())) {
                String streamOrder = recorded.streamId().substring(OrderStreams.CATEGORY.length() + 1);
                throw unreadable(recorded, "it places order " + placed.orderId() + " in the stream of order "
                        + streamOrder, null);
            }
            return event;
        }

        @Override
        public RuntimeException unreadable(RecordedEvent recorded, String reason, Throwable cause) {
            return codec.unreadable(recorded, reason, cause);
        }
    }

    private record States(OrderSnapshotCodec codec) implements StateCodec<Order> {

        @Override
        public int schemaVersion() {
            return OrderSnapshotCodec.SCHEMA_VERSION;
        }

        @Override
        public byte[] encode(Order state) {
            return codec.encode(state);
        }

        @Override
        public Order decode(Snapshot snapshot) {
            Order order = codec.decode(snapshot);
            if (!OrderStreams.streamOf(order.id()).equals(snapshot.stream())) {
                throw new UnreadableSnapshot("the snapshot of stream " + snapshot.stream() + " at version "
                        + snapshot.version() + " holds order " + order.id(), null);
            }
            return order;
        }
    }
}
