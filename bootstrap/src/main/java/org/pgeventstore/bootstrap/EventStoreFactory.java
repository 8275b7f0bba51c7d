package org.pgeventstore.bootstrap;

import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import javax.sql.DataSource;
import org.pgeventstore.adapters.postgres.PostgresEventStore;
import org.pgeventstore.application.eventstore.EventStore;

/**
 * Wires the ports to their PostgreSQL adapters. The event store serves requests, so each of its
 * statements is bounded by {@code eventstore.database.socket-timeout}. Every append, through any route,
 * wakes the feed readers of every instance once it committed ({@link FeedNotifications}).
 */
@Factory
public class EventStoreFactory {

    @Singleton
    EventStore eventStore(DataSource dataSource, DatabaseTimeouts timeouts, FeedNotifications notifications) {
        return new PostgresEventStore(BoundedDataSource.of(dataSource, timeouts.getSocketTimeout()),
                notifications::appended);
    }
}
