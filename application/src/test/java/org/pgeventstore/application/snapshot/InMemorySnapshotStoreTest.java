package org.pgeventstore.application.snapshot;

class InMemorySnapshotStoreTest extends SnapshotStoreContract {

    private final SnapshotStore store = new InMemorySnapshotStore();

    @Override
    protected SnapshotStore store() {
        return store;
    }
}
