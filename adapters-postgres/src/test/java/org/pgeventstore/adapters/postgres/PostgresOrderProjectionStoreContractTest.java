package org.pgeventstore.adapters.postgres;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.pgeventstore.adapters.postgres.order.PostgresOrderProjectionStore;
import org.pgeventstore.application.eventstore.EventStore;
import org.pgeventstore.application.order.OrderEventRegistry;
import org.pgeventstore.application.projection.ProjectionStoreContract;

/** On a database of its own: the suite appends order events no handler can apply. */
class PostgresOrderProjectionStoreContractTest extends ProjectionStoreContract<PostgresOrderProjectionStore> {

    private static ScratchDatabase database;
    private final List<String> readModels = new ArrayList<>();

    @BeforeAll
    static void createDatabase() {
        database = ScratchDatabase.create("projection_contract");
    }

    @AfterAll
    static void dropDatabase() {
        database.close();
    }

    @AfterEach
    void dropReadModels() {
        for (String readModel : readModels) {
            for (String table : PostgresOrderProjectionStore.tablesOf(readModel)) {
                database.execute("DROP TABLE IF EXISTS " + table);
            }
        }
    }

    @Override
    protected EventStore eventStore() {
        return new PostgresEventStore(database.dataSource());
    }

    @Override
    protected PostgresOrderProjectionStore newStore(String name) {
        String readModel = "order_projections_" + name.replace("-", "_");
        readModels.add(readModel);
        return PostgresOrderProjectionStore.fresh(database.dataSource(), new OrderEventRegistry(), name, readModel);
    }
}
