package org.pgeventstore.bootstrap;

import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Readiness;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pgeventstore.application.feed.FeedStall;
import org.pgeventstore.application.projection.ProjectionInfo;
import org.pgeventstore.application.projection.ProjectionOperations;
import org.reactivestreams.Publisher;

/**
 * Readiness by lag ({@code /health/readiness}, component {@code lag}): DOWN while the global feed
 * has withheld an event for longer than {@code eventstore.readiness.max-feed-withheld}, or a
 * projection trails the feed by more than {@code eventstore.readiness.max-projection-lag}, each only
 * when set ({@link ReadinessConfiguration}). The feed's figure is the feed monitor's latest look;
 * the projections' are read when asked.
 */
@Singleton
@Readiness
public class LagReadiness implements HealthIndicator {

    private final ReadinessConfiguration configuration;
    private final FeedMonitor feed;
    private final ProjectionOperations projections;

    public LagReadiness(ReadinessConfiguration configuration, FeedMonitor feed, ProjectionOperations projections) {
        this.configuration = configuration;
        this.feed = feed;
        this.projections = projections;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        Map<String, Object> details = new LinkedHashMap<>();
        List<String> exceeded = new ArrayList<>();
        configuration.getMaxFeedWithheld().ifPresent(max -> {
            FeedStall stall = feed.latest();
            details.put("feedWithheldSeconds", seconds(stall.oldestWithheld()));
            details.put("maxFeedWithheldSeconds", seconds(max));
            if (stall.oldestWithheld().compareTo(max) > 0) {
                exceeded.add("the feed has withheld an event for " + seconds(stall.oldestWithheld()) + " s (see "
                        + "GET /api/admin/stats, feed.heldBy, for the transaction that holds it)");
            }
        });
        configuration.getMaxProjectionLag().ifPresent(max -> {
            details.put("maxProjectionLagSeconds", seconds(max));
            for (ProjectionInfo projection : projections.list()) {
                details.put("projection." + projection.name() + ".lagSeconds", seconds(projection.lagTime()));
                if (projection.lagTime().compareTo(max) > 0) {
                    exceeded.add("projection " + projection.name() + " trails the feed by " + seconds(projection.lagTime())
                            + " s (see GET /api/projections/" + projection.name() + ")");
                }
            }
        });
        if (!exceeded.isEmpty()) {
            details.put("reason", String.join("; ", exceeded));
        }
        HealthStatus status = exceeded.isEmpty() ? HealthStatus.UP : HealthStatus.DOWN;
        return Publishers.just(HealthResult.builder("lag", status).details(details).build());
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }
}
