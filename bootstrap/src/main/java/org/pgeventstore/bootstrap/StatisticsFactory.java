package org.pgeventstore.bootstrap;

import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import javax.sql.DataSource;
import org.pgeventstore.adapters.postgres.PostgresStoreStatistics;
import org.pgeventstore.application.stats.StoreStatistics;

/** Wires the statistics of {@code GET /api/admin/stats} to PostgreSQL. */
@Factory
public class StatisticsFactory {

    @Singleton
    StoreStatistics storeStatistics(DataSource dataSource) {
        return new PostgresStoreStatistics(dataSource);
    }
}
