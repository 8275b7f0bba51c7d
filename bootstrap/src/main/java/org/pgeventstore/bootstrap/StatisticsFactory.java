package org.pgeventstore.bootstrap;

import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import javax.sql.DataSource;
import org.pgeventstore.adapters.postgres.PostgresStoreStatistics;
import org.pgeventstore.application.stats.StoreStatistics;

/**
 * Wires the statistics of {@code GET /api/admin/stats} to PostgreSQL. One of its figures reads the
 * whole log, so its statements get the larger bound {@code eventstore.database.admin-socket-timeout}.
 */
@Factory
public class StatisticsFactory {

    @Singleton
    StoreStatistics storeStatistics(DataSource dataSource, DatabaseTimeouts timeouts) {
        return new PostgresStoreStatistics(BoundedDataSource.of(dataSource, timeouts.getAdminSocketTimeout()));
    }
}
