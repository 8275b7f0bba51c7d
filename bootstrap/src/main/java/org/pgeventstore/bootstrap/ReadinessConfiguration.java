package org.pgeventstore.bootstrap;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import java.time.Duration;
import java.util.Optional;

/**
 * The lags past which {@code /health/readiness} says DOWN, under {@code eventstore.readiness}. Both
 * are unset by default: every instance shares the database, so a lag takes every instance out of
 * rotation at once; set them where a load balancer should rather send no traffic than stale reads.
 */
@ConfigurationProperties("eventstore.readiness")
public class ReadinessConfiguration {

    private Duration maxFeedWithheld;
    private Duration maxProjectionLag;

    /** How long the global feed may withhold a committed event ({@code EVENTSTORE_READINESS_MAX_FEED_WITHHELD}). */
    public Optional<Duration> getMaxFeedWithheld() {
        return Optional.ofNullable(maxFeedWithheld);
    }

    public void setMaxFeedWithheld(@Nullable Duration maxFeedWithheld) {
        this.maxFeedWithheld = positive("max-feed-withheld", maxFeedWithheld);
    }

    /** How far, in time, a projection may trail the feed ({@code EVENTSTORE_READINESS_MAX_PROJECTION_LAG}). */
    public Optional<Duration> getMaxProjectionLag() {
        return Optional.ofNullable(maxProjectionLag);
    }

    public void setMaxProjectionLag(@Nullable Duration maxProjectionLag) {
        this.maxProjectionLag = positive("max-projection-lag", maxProjectionLag);
    }

    private static Duration positive(String name, Duration value) {
        if (value != null && (value.isNegative() || value.isZero())) {
            throw new IllegalArgumentException("eventstore.readiness." + name + " must be a positive duration, was " + value);
        }
        return value;
    }
}
