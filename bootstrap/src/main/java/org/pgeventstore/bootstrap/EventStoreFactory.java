package org.pgeventstore.bootstrap;

import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import javax.sql.DataSource;
import org.pgeventstore.adapters.postgres.PostgresEventStore;
import org.pgeventstore.application.eventstore.EventStore;

/**
 * Wires the ports to their PostgreSQL adapters. The event store serves requests, so each of its
 * statements is bounded by {@code eventstore.database.socket-timeout}.
 */
@Factory
public class EventStoreFactory {

    @Singleton
    EventStore eventStore(DataSource dataSource, DatabaseTimeouts timeouts) {
        return new PostgresEventStore(BoundedDataSource.of(dataSource, timeouts.getSocketTimeout()));
    }
}
