package org.pgeventstore.bootstrap;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;

/** The feed monitor's settings, under {@code eventstore.feed}. */
@ConfigurationProperties("eventstore.feed")
public class FeedConfiguration {

    private Duration monitorInterval = Duration.ofSeconds(5);
    private Duration stallWarningAfter = Duration.ofSeconds(30);

    /** How often each instance looks at what holds the feed back (and aligns positions after a restore). */
    public Duration getMonitorInterval() {
        return monitorInterval;
    }

    public void setMonitorInterval(Duration monitorInterval) {
        this.monitorInterval = positive("monitor-interval", monitorInterval);
    }

    /** How long events may be withheld before the monitor logs a warning that says who holds them. */
    public Duration getStallWarningAfter() {
        return stallWarningAfter;
    }

    public void setStallWarningAfter(Duration stallWarningAfter) {
        this.stallWarningAfter = positive("stall-warning-after", stallWarningAfter);
    }

    private static Duration positive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("eventstore.feed." + name + " must be a positive duration, was " + value);
        }
        return value;
    }
}
