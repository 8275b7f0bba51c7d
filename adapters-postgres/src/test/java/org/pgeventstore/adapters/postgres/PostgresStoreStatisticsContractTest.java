package org.pgeventstore.adapters.postgres;

import org.pgeventstore.application.eventstore.EventStore;
import org.pgeventstore.application.snapshot.SnapshotStore;
import org.pgeventstore.application.stats.StoreStatistics;
import org.pgeventstore.application.stats.StoreStatisticsContract;

class PostgresStoreStatisticsContractTest extends StoreStatisticsContract {

    private final PostgresTestDatabase database = PostgresTestDatabase.shared();
    private final EventStore events = new PostgresEventStore(database.dataSource());
    private final SnapshotStore snapshots = new PostgresSnapshotStore(database.dataSource());
    private final StoreStatistics statistics = new PostgresStoreStatistics(database.dataSource());

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
