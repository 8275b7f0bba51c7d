package org.pgeventstore.adapters.http;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.pgeventstore.application.access.ApiKeyService;
import org.pgeventstore.application.access.InMemoryApiKeys;
import org.pgeventstore.application.eventstore.EventStore;
import org.pgeventstore.application.eventstore.InMemoryEventStore;
import org.pgeventstore.application.feed.AppendSignal;
import org.pgeventstore.application.order.OrderCommandHandler;
import org.pgeventstore.application.order.OrderEventRegistry;
import org.pgeventstore.application.order.OrderQueries;
import org.pgeventstore.domain.order.ShippingPolicy;

/** The HTTP adapter's tests run on the in-memory store; the bootstrap tests run the same routes on PostgreSQL. */
@Factory
@Requires(env = StreamApiTest.ENVIRONMENT)
class InMemoryStoreFactory {

    /** The keys of the in-memory service: the test admin key the {@link ApiClient} sends. */
    @Singleton
    ApiKeyService apiKeyService() {
        var keys = new ApiKeyService(new InMemoryApiKeys(Clock.systemUTC()), Clock.systemUTC(), Duration.ofSeconds(1));
        keys.createWithSecret(ApiClient.TEST_ADMIN_KEY, "test-admin", Set.of("admin"), Optional.empty(), "test");
        return keys;
    }

    @Singleton
    AppendSignal appendSignal() {
        return new AppendSignal();
    }

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
