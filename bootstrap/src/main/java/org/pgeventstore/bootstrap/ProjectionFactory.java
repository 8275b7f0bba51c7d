package org.pgeventstore.bootstrap;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Primary;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import javax.sql.DataSource;
import org.pgeventstore.adapters.postgres.order.PostgresOrderProjectionStore;
import org.pgeventstore.adapters.postgres.order.PostgresOrderReadModel;
import org.pgeventstore.application.eventstore.EventStore;
import org.pgeventstore.application.order.OrderEventRegistry;
import org.pgeventstore.application.order.readmodel.OrderReadModel;
import org.pgeventstore.application.order.readmodel.OrderReconciliation;
import org.pgeventstore.application.order.readmodel.ReplicatedOrderReadModel;
import org.pgeventstore.application.replica.ReplicaRouting;

/**
 * Wires the projections: their own connection pool, the wake-up signal, each projection the
 * service runs ({@link ServedProjection}), and the order read model that the API reads (on the
 * API's pool; the runner writes it through the projections' pool).
 */
@Factory
public class ProjectionFactory {

    @Singleton
    @Bean(preDestroy = "close")
    ProjectionPool projectionPool(DataSource dataSource, ProjectionConfiguration configuration) {
        return ProjectionPool.sameDatabaseAs(dataSource, configuration.getPoolSize(), configuration.getSocketTimeout());
    }

    @Singleton
    @Named(EventStoreFactory.PRIMARY)
    OrderReadModel primaryOrderReadModel(DataSource dataSource, OrderEventRegistry registry, DatabaseTimeouts timeouts) {
        return PostgresOrderReadModel.live(BoundedDataSource.of(dataSource, timeouts.getSocketTimeout()), registry);
    }

    /** What the order list reads: the primary's read model, or the replica's with {@code eventstore.replica.url}. */
    @Singleton
    @Primary
    OrderReadModel orderReadModel(@Named(EventStoreFactory.PRIMARY) OrderReadModel primary, OrderEventRegistry registry,
                                  @Nullable ReplicaRouting routing, @Nullable ReplicaPool replica) {
        return routing == null || replica == null ? primary
                : new ReplicatedOrderReadModel(primary, PostgresOrderReadModel.live(replica.dataSource(), registry), routing);
    }

    /** The order projection, written through the projections' pool and checked against the API's event store. */
    @Singleton
    ServedProjection orderProjection(ProjectionPool pool, OrderEventRegistry registry,
                                     @Named(EventStoreFactory.PRIMARY) EventStore eventStore,
                                     @Named(EventStoreFactory.PRIMARY) OrderReadModel readModel) {
        return new ServedProjection(PostgresOrderProjectionStore.projection(pool.dataSource(), registry),
                parked -> new OrderReconciliation(eventStore, readModel, parked, registry));
    }
}
