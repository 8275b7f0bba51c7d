package org.pgeventstore.adapters.http;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.time.Clock;
import org.pgeventstore.application.eventstore.EventStore;
import org.pgeventstore.application.eventstore.InMemoryEventStore;
import org.pgeventstore.application.order.OrderCommandHandler;
import org.pgeventstore.application.order.OrderEventRegistry;
import org.pgeventstore.application.order.OrderQueries;
import org.pgeventstore.domain.order.ShippingPolicy;

/** The HTTP adapter's tests run on the in-memory store; the bootstrap tests run the same routes on PostgreSQL. */
@Factory
@Requires(env = StreamApiTest.ENVIRONMENT)
class InMemoryStoreFactory {

    @Singleton
    EventStore eventStore() {
        return new InMemoryEventStore();
    }

    @Singleton
    OrderCommandHandler orderCommandHandler(EventStore store) {
        return new OrderCommandHandler(store, new OrderEventRegistry(), ShippingPolicy.standard(), Clock.systemUTC());
    }

    @Singleton
    OrderQueries orderQueries(EventStore store) {
        return new OrderQueries(store, new OrderEventRegistry());
    }
}
