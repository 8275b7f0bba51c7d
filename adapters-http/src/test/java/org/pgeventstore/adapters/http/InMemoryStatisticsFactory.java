package org.pgeventstore.adapters.http;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import org.pgeventstore.application.feed.FeedHorizon;
import org.pgeventstore.application.eventstore.EventStore;
import org.pgeventstore.application.relay.RelayMonitor;
import org.pgeventstore.application.snapshot.InMemorySnapshotStore;
import org.pgeventstore.application.stats.InMemoryStoreStatistics;
import org.pgeventstore.application.stats.StoreStatistics;

/** The statistics of the in-memory stores the HTTP adapter's tests run on. */
@Factory
@Requires(env = StreamApiTest.ENVIRONMENT)
class InMemoryStatisticsFactory {

    @Singleton
    InMemorySnapshotStore snapshotStore() {
        return new InMemorySnapshotStore();
    }

    /** The in-memory store hands out every event as soon as it is appended. */
    @Singleton
    FeedHorizon feedHorizon() {
        return FeedHorizon.never();
    }

    /** No relay to NATS in these tests: the stats show {@code relay: null}. */
    @Singleton
    RelayMonitor relayMonitor() {
        return RelayMonitor.NONE;
    }

    @Singleton
    StoreStatistics storeStatistics(EventStore store, InMemorySnapshotStore snapshots) {
        return new InMemoryStoreStatistics(store, snapshots);
    }
}
