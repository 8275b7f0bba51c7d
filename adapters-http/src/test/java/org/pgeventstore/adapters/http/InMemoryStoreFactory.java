package org.pgeventstore.adapters.http;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import org.pgeventstore.application.eventstore.EventStore;
import org.pgeventstore.application.eventstore.InMemoryEventStore;

/** The HTTP adapter's tests run on the in-memory store; the bootstrap tests run the same routes on PostgreSQL. */
@Factory
@Requires(env = StreamApiTest.ENVIRONMENT)
class InMemoryStoreFactory {

    @Singleton
    EventStore eventStore() {
        return new InMemoryEventStore();
    }
}
