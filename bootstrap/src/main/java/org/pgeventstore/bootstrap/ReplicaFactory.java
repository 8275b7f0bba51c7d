package org.pgeventstore.bootstrap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.Locale;
import org.pgeventstore.adapters.postgres.replica.PostgresReplicaStatus;
import org.pgeventstore.application.aggregate.Sleeper;
import org.pgeventstore.application.replica.ReplicaMetrics;
import org.pgeventstore.application.replica.ReplicaRouting;

/**
 * Wires the streaming replica that serves reads, when {@code eventstore.replica.url} is set: its
 * read-only pool and the routing of reads between it and the primary. What reads where is decided
 * in the factories of the ports ({@link EventStoreFactory}, {@link ProjectionFactory}); see
 * docs/scaling-out.md.
 */
@Factory
@Requires(property = "eventstore.replica.url")
public class ReplicaFactory {

    @Singleton
    @Bean(preDestroy = "close")
    ReplicaPool replicaPool(ReplicaConfiguration configuration, DatabaseTimeouts timeouts, ConnectionPoolDefaults defaults) {
        return ReplicaPool.of(configuration, timeouts, defaults);
    }

    @Singleton
    ReplicaRouting replicaRouting(ReplicaPool pool, ReplicaConfiguration configuration, MeterRegistry meters) {
        return new ReplicaRouting(new PostgresReplicaStatus(pool.dataSource()), configuration.getReadYourWritesTimeout(),
                Sleeper.THREAD_SLEEP, Clock.systemUTC(), metrics(meters));
    }

    /**
     * {@code eventstore.replica.fallbacks} (reason {@code unreachable} or {@code behind}) and
     * {@code eventstore.replica.waits} (outcome {@code caught_up} or {@code timed_out}).
     */
    private static ReplicaMetrics metrics(MeterRegistry meters) {
        return new ReplicaMetrics() {
            @Override
            public void waited(boolean caughtUp) {
                Counter.builder("eventstore.replica.waits")
                        .description("Reads with minPosition that waited for the replica to replay it")
                        .tag("outcome", caughtUp ? "caught_up" : "timed_out")
                        .register(meters)
                        .increment();
            }

            @Override
            public void fellBack(Fallback reason) {
                Counter.builder("eventstore.replica.fallbacks")
                        .description("Reads meant for the replica that the primary served instead")
                        .tag("reason", reason.name().toLowerCase(Locale.ROOT))
                        .register(meters)
                        .increment();
            }
        };
    }
}
