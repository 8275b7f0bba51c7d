package org.pgeventstore.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.pgeventstore.adapters.postgres.projection.PostgresProjectionLeases;
import org.pgeventstore.application.projection.ProjectionLease;
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

    @Test
    @DisplayName("isHeld sees a lease held by any instance of this database, and none of another database on the server")
    void isHeldLooksAtThisDatabase() {
        String projection = "lease-held-" + UUID.randomUUID();
        PostgresProjectionLeases looking = (PostgresProjectionLeases) newInstance();
        assertThat(looking.isHeld(projection)).isFalse();
        try (ProjectionLease lease = newInstance().tryAcquire(projection).orElseThrow()) {
            assertThat(looking.isHeld(projection)).isTrue();
        }
        assertThat(looking.isHeld(projection)).as("released").isFalse();

        try (ScratchDatabase elsewhere = ScratchDatabase.create("lease_elsewhere");
             HikariDataSource pool = elsewhere.newPool(3);
             ProjectionLease lease = new PostgresProjectionLeases(pool).tryAcquire(projection).orElseThrow()) {
            assertThat(new PostgresProjectionLeases(pool).isHeld(projection)).isTrue();
            assertThat(looking.isHeld(projection)).as("the same name in another database").isFalse();
        }
    }
}
