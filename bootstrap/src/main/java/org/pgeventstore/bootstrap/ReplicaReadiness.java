package org.pgeventstore.bootstrap;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Readiness;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;
import org.pgeventstore.application.replica.ReplicaCondition;
import org.pgeventstore.application.replica.ReplicaRouting;
import org.reactivestreams.Publisher;

/**
 * Readiness of the replica's reads ({@code /health/readiness}, component {@code replica}): DOWN while
 * the replica trails by more than {@code eventstore.replica.max-lag}, since it would answer with
 * data that old. A replica that does not answer leaves readiness UP: the primary serves the reads
 * then, so the instance can still answer every request.
 */
@Singleton
@Readiness
@Requires(beans = ReplicaRouting.class)
public class ReplicaReadiness implements HealthIndicator {

    private final ReplicaRouting routing;
    private final ReplicaConfiguration configuration;

    public ReplicaReadiness(ReplicaRouting routing, ReplicaConfiguration configuration) {
        this.routing = routing;
        this.configuration = configuration;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        ReplicaCondition condition = routing.condition();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("reads", condition.reachable() ? "replica" : "primary");
        condition.lag().ifPresent(lag -> {
            details.put("replayDelaySeconds", lag.replayDelay().toMillis() / 1000.0);
            details.put("bytesBehind", lag.bytesBehind());
        });
        condition.error().ifPresent(error -> details.put("error", error));
        details.put("maxLagSeconds", configuration.getMaxLag().toSeconds());
        boolean tooFarBehind = condition.lag()
                .map(lag -> lag.replayDelay().compareTo(configuration.getMaxLag()) > 0).orElse(false);
        HealthStatus status = tooFarBehind ? HealthStatus.DOWN : HealthStatus.UP;
        return Publishers.just(HealthResult.builder("replica", status).details(details).build());
    }
}
