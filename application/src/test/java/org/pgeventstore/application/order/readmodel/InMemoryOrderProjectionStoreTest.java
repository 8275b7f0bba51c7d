package org.pgeventstore.application.order.readmodel;

import org.pgeventstore.application.eventstore.EventStore;
import org.pgeventstore.application.eventstore.InMemoryEventStore;
import org.pgeventstore.application.order.OrderEventRegistry;
import org.pgeventstore.application.projection.ProjectionStoreContract;

class InMemoryOrderProjectionStoreTest extends ProjectionStoreContract<InMemoryOrderProjectionStore> {

    private final EventStore events = new InMemoryEventStore();

    @Override
    protected EventStore eventStore() {
        return events;
    }

    @Override
    protected InMemoryOrderProjectionStore newStore(String name) {
        return new InMemoryOrderProjectionStore(name, new OrderEventRegistry());
    }
}
