package org.pgeventstore.bootstrap;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.pgeventstore.adapters.postgres.PostgresSnapshotStore;
import org.pgeventstore.application.eventstore.EventStore;
import org.pgeventstore.application.snapshot.RecentStates;
import org.pgeventstore.application.snapshot.SnapshotMetrics;
import org.pgeventstore.application.snapshot.SnapshotPolicy;
import org.pgeventstore.application.snapshot.SnapshotStore;
import org.pgeventstore.application.snapshot.SnapshotWriter;
import org.pgeventstore.application.snapshot.Snapshotting;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires snapshots: the PostgreSQL store, the policy from {@link SnapshotConfiguration}, the writer and its meters. */
@Factory
public class SnapshotFactory {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotFactory.class);

    @Singleton
    SnapshotStore snapshotStore(DataSource dataSource, DatabaseTimeouts timeouts) {
        return new PostgresSnapshotStore(BoundedDataSource.of(dataSource, timeouts.getSocketTimeout()));
    }

    @Singleton
    SnapshotMetrics snapshotMetrics(MeterRegistry registry) {
        return new SnapshotMetrics(registry);
    }

    @Singleton
    SnapshotPolicy snapshotPolicy(SnapshotConfiguration configuration, List<SnapshotConfiguration.Category> categories) {
        Map<String, SnapshotPolicy> byCategory = categories.stream()
                .collect(Collectors.toMap(SnapshotConfiguration.Category::getName, configuration::policy));
        byCategory.forEach((category, policy) -> LOG.info("event=snapshot_policy category={} policy={}", category, policy));
        return SnapshotPolicy.byCategory(byCategory, configuration.policy(null));
    }

    @Singleton
    @Bean(preDestroy = "close")
    @Requires(property = "eventstore.snapshots.enabled", notEquals = "false")
    SnapshotWriter snapshotWriter(@Named(EventStoreFactory.PRIMARY) EventStore events, SnapshotStore store, SnapshotPolicy policy, SnapshotMetrics metrics,
                                  SnapshotConfiguration configuration) {
        return new SnapshotWriter(events, store, policy, metrics, Clock.systemUTC(),
                configuration.getQueueCapacity(), configuration.getKeepPerStream());
    }

    @Singleton
    Snapshotting snapshotting(@Nullable SnapshotWriter writer, SnapshotMetrics metrics, SnapshotConfiguration configuration) {
        LOG.info("event=snapshots enabled={} policy={} keep_per_stream={} queue_capacity={}", writer != null,
                configuration.policy(null), configuration.getKeepPerStream(), configuration.getQueueCapacity());
        return writer == null ? Snapshotting.off(metrics)
                : Snapshotting.on(writer, new RecentStates(configuration.getRecentStates()));
    }
}
