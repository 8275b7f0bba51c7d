package org.pgeventstore.adapters.postgres;

import org.pgeventstore.application.snapshot.SnapshotStore;
import org.pgeventstore.application.snapshot.SnapshotStoreContract;

class PostgresSnapshotStoreContractTest extends SnapshotStoreContract {

    private final SnapshotStore store = new PostgresSnapshotStore(PostgresTestDatabase.shared().dataSource());

    @Override
    protected SnapshotStore store() {
        return store;
    }
}
