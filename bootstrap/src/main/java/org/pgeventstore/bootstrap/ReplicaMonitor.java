package org.pgeventstore.bootstrap;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PreDestroy;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.pgeventstore.application.replica.ReplicaLag;
import org.pgeventstore.application.replica.ReplicaRouting;

/**
 * Looks at the replica every {@code eventstore.replica.probe-interval}: its lag for the gauges, the
 * stats and readiness, and whether it answers again after an outage (reads return to it then).
 */
@Context
@Requires(beans = ReplicaRouting.class)
public class ReplicaMonitor {

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("replica-monitor").daemon().factory());

    public ReplicaMonitor(ReplicaRouting routing, ReplicaConfiguration configuration, MeterRegistry meters) {
        Gauge.builder("eventstore.replica.lag.seconds", routing,
                        r -> r.condition().lag().map(lag -> lag.replayDelay().toMillis() / 1000.0).orElse(Double.NaN))
                .description("Age of the last commit the replica replayed (0 when it has replayed all it received); "
                        + "NaN while it does not answer")
                .baseUnit("seconds")
                .register(meters);
        Gauge.builder("eventstore.replica.lag.bytes", routing,
                        r -> r.condition().lag().map(ReplicaLag::bytesBehind).map(Long::doubleValue).orElse(Double.NaN))
                .description("WAL the replica received but has not replayed; NaN while it does not answer")
                .baseUnit("bytes")
                .register(meters);
        Gauge.builder("eventstore.replica.reachable", routing, r -> r.condition().reachable() ? 1 : 0)
                .description("1 while the replica answers and serves reads, 0 while the primary serves them instead")
                .register(meters);
        long every = configuration.getProbeInterval().toMillis();
        timer.scheduleWithFixedDelay(routing::probe, 0, every, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        timer.shutdownNow();
    }
}
