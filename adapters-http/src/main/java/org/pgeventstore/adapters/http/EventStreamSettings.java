package org.pgeventstore.adapters.http;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;

/** The bounds of the Server-Sent Events route {@code GET /api/events/stream}, under {@code eventstore.sse}. */
@ConfigurationProperties("eventstore.sse")
public class EventStreamSettings {

    private Duration heartbeat = Duration.ofSeconds(15);
    private int maxStreams = 100;
    private Duration pollInterval = Duration.ofSeconds(1);
    private int pageSize = 100;

    /** How long a stream may stay silent before a {@code : keep-alive} comment line, so that proxies keep it open. */
    public Duration getHeartbeat() {
        return heartbeat;
    }

    public void setHeartbeat(Duration heartbeat) {
        this.heartbeat = positive("heartbeat", heartbeat);
    }

    /** How many streams this instance serves at once; one more is refused with 503 and Retry-After. */
    public int getMaxStreams() {
        return maxStreams;
    }

    public void setMaxStreams(int maxStreams) {
        if (maxStreams < 1) {
            throw new IllegalArgumentException("eventstore.sse.max-streams must be 1 or more, was " + maxStreams);
        }
        this.maxStreams = maxStreams;
    }

    /** How often a caught-up stream looks at the feed when no append wakes it. */
    public Duration getPollInterval() {
        return pollInterval;
    }

    public void setPollInterval(Duration pollInterval) {
        this.pollInterval = positive("poll-interval", pollInterval);
    }

    /** How many events a stream reads at once: at most this many are held for a client that has not taken them. */
    public int getPageSize() {
        return pageSize;
    }

    public void setPageSize(int pageSize) {
        if (pageSize < 1 || pageSize > 1000) {
            throw new IllegalArgumentException("eventstore.sse.page-size must be 1..1000, was " + pageSize);
        }
        this.pageSize = pageSize;
    }

    private static Duration positive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("eventstore.sse." + name + " must be a positive duration, was " + value);
        }
        return value;
    }
}
