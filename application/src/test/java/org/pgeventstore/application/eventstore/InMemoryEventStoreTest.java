package org.pgeventstore.application.eventstore;

class InMemoryEventStoreTest extends EventStoreContract {

    private final EventStore store = new InMemoryEventStore();

    @Override
    protected EventStore store() {
        return store;
    }
}
