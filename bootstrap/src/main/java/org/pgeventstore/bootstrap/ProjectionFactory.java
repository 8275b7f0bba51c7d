package org.pgeventstore.bootstrap;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import javax.sql.DataSource;
import org.pgeventstore.adapters.postgres.PostgresOrderProjectionStore;
import org.pgeventstore.application.order.OrderEventRegistry;
import org.pgeventstore.application.order.readmodel.OrderReadModel;
import org.pgeventstore.application.projection.ProjectionSignal;

/**
 * Wires the projections: their own connection pool, the wake-up signal, and the order read model
 * that the API reads (on the API's pool; the runner writes it through the projections' pool).
 */
@Factory
public class ProjectionFactory {

    @Singleton
    @Bean(preDestroy = "close")
    ProjectionPool projectionPool(DataSource dataSource, ProjectionConfiguration configuration) {
        return ProjectionPool.sameDatabaseAs(dataSource, configuration.getPoolSize(), configuration.getSocketTimeout());
    }

    @Singleton
    ProjectionSignal projectionSignal() {
        return new ProjectionSignal();
    }

    @Singleton
    OrderReadModel orderReadModel(DataSource dataSource, OrderEventRegistry registry, DatabaseTimeouts timeouts) {
        return new PostgresOrderProjectionStore(BoundedDataSource.of(dataSource, timeouts.getSocketTimeout()), registry);
    }
}
