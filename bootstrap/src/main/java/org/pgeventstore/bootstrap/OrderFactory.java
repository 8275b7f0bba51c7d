package org.pgeventstore.bootstrap;

import io.micronaut.context.annotation.Factory;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.UUID;
import org.pgeventstore.application.aggregate.Sleeper;
import org.pgeventstore.application.eventstore.EventStore;
import org.pgeventstore.application.order.OrderCommandHandler;
import org.pgeventstore.application.order.OrderEventRegistry;
import org.pgeventstore.application.order.OrderNumbers;
import org.pgeventstore.application.order.OrderQueries;
import org.pgeventstore.application.snapshot.Snapshotting;
import org.pgeventstore.domain.order.Money;
import org.pgeventstore.domain.order.ShippingPolicy;

/** Wires the Order use cases: plain classes of application and domain, configured here. */
@Factory
public class OrderFactory {

    @Singleton
    OrderEventRegistry orderEventRegistry() {
        return new OrderEventRegistry();
    }

    @Singleton
    ShippingPolicy shippingPolicy(OrderConfiguration configuration) {
        return new ShippingPolicy(Money.of(configuration.getShippingFlatFee(), "eventstore.orders.shipping-flat-fee"),
                Money.of(configuration.getFreeShippingThreshold(), "eventstore.orders.free-shipping-threshold"));
    }

    /**
     * The instance's clock, which decides what "now" is for a command's checks (a delivery time
     * reported in the future). The time of each event is the event store's, never this one.
     */
    @Singleton
    @Named("commands")
    Clock commandClock() {
        return Clock.systemUTC();
    }

    @Singleton
    OrderCommandHandler orderCommandHandler(@Named(EventStoreFactory.PRIMARY) EventStore store, OrderEventRegistry registry, ShippingPolicy shippingPolicy,
                                            OrderConfiguration.Retry retry, Snapshotting snapshotting,
                                            @Named("commands") Clock clock) {
        return new OrderCommandHandler(store, registry, shippingPolicy, clock, UUID::randomUUID,
                OrderNumbers.fromOrderId(), retry.policy(), Sleeper.THREAD_SLEEP, snapshotting);
    }

    @Singleton
    OrderQueries orderQueries(EventStore store, OrderEventRegistry registry, Snapshotting snapshotting) {
        return new OrderQueries(store, registry, snapshotting);
    }
}
