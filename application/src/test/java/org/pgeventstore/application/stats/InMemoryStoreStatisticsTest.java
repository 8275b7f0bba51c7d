package org.pgeventstore.application.stats;

import org.pgeventstore.application.eventstore.EventStore;
import org.pgeventstore.application.eventstore.InMemoryEventStore;
import org.pgeventstore.application.snapshot.InMemorySnapshotStore;
import org.pgeventstore.application.snapshot.SnapshotStore;

class InMemoryStoreStatisticsTest extends StoreStatisticsContract {

    private final InMemoryEventStore events = new InMemoryEventStore();
    private final InMemorySnapshotStore snapshots = new InMemorySnapshotStore();
    private final StoreStatistics statistics = new InMemoryStoreStatistics(events, snapshots);

    @Override
    protected EventStore events() {
        return events;
    }

    @Override
    protected SnapshotStore snapshots() {
        return snapshots;
    }

    @Override
    protected StoreStatistics statistics() {
        return statistics;
    }
}
