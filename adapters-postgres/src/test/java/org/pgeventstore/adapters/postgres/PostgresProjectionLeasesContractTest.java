package org.pgeventstore.adapters.postgres;

import com.zaxxer.hikari.HikariDataSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.pgeventstore.application.projection.ProjectionLeases;
import org.pgeventstore.application.projection.ProjectionLeasesContract;

/** Each instance with a connection pool of its own, as two service instances have. */
class PostgresProjectionLeasesContractTest extends ProjectionLeasesContract {

    private final List<HikariDataSource> pools = new ArrayList<>();

    @AfterEach
    void closePools() {
        pools.forEach(HikariDataSource::close);
    }

    @Override
    protected ProjectionLeases newInstance() {
        HikariDataSource pool = PostgresTestDatabase.shared().newPool(3);
        pools.add(pool);
        return new PostgresProjectionLeases(pool);
    }
}
