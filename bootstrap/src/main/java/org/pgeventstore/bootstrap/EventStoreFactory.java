package org.pgeventstore.bootstrap;

import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import javax.sql.DataSource;
import org.pgeventstore.adapters.postgres.PostgresEventStore;
import org.pgeventstore.application.eventstore.EventStore;

/** Wires the ports to their PostgreSQL adapters. */
@Factory
public class EventStoreFactory {

    @Singleton
    EventStore eventStore(DataSource dataSource) {
        return new PostgresEventStore(dataSource);
    }
}
