package org.pgeventstore.adapters.postgres;

import org.pgeventstore.application.eventstore.EventStore;
import org.pgeventstore.application.eventstore.EventStoreContract;

class PostgresEventStoreContractTest extends EventStoreContract {

    private final EventStore store = new PostgresEventStore(PostgresTestDatabase.shared().dataSource());

    @Override
    protected EventStore store() {
        return store;
    }
}
