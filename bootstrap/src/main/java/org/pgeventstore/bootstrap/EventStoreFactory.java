package org.pgeventstore.bootstrap;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Primary;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import javax.sql.DataSource;
import org.pgeventstore.adapters.postgres.PostgresEventStore;
import org.pgeventstore.application.eventstore.EventStore;
import org.pgeventstore.application.replica.ReplicaRouting;
import org.pgeventstore.application.replica.ReplicatedEventStore;

/**
 * Wires the ports to their PostgreSQL adapters. The event store serves requests, so each of its
 * statements is bounded by {@code eventstore.database.socket-timeout}. Every append, through any route,
 * wakes the feed readers of every instance once it committed ({@link FeedNotifications}), and is a span
 * with its statements beneath it ({@link Tracing}).
 *
 * <p>Two event store beans: {@value #PRIMARY} is the primary's, for everything that writes or must
 * read its own writes (commands, projections, snapshots, the feed monitor); the unqualified one is
 * what the read routes use: the same store, or, with {@code eventstore.replica.url} set, one that
 * reads from the replica and appends to the primary.
 */
@Factory
public class EventStoreFactory {

    /** The qualifier of the beans that read and write the primary only. */
    public static final String PRIMARY = "primary";

    @Singleton
    @Named(PRIMARY)
    EventStore primaryEventStore(DataSource dataSource, DatabaseTimeouts timeouts, FeedNotifications notifications,
                                 Tracing tracing) {
        DataSource bounded = BoundedDataSource.of(dataSource, timeouts.getSocketTimeout());
        return tracing.appends(new PostgresEventStore(tracing.statements(bounded), notifications::appended));
    }

    @Singleton
    @Primary
    EventStore eventStore(@Named(PRIMARY) EventStore primary, @Nullable ReplicaRouting routing,
                          @Nullable ReplicaPool replica) {
        return routing == null || replica == null ? primary
                : new ReplicatedEventStore(primary, new PostgresEventStore(replica.dataSource()), routing);
    }
}
