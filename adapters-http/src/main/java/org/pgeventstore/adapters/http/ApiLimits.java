package org.pgeventstore.adapters.http;

import io.micronaut.context.annotation.ConfigurationProperties;
import org.pgeventstore.application.eventstore.EventStore;

/**
 * The bounds the API puts on a request, under {@code eventstore.api}. The request body
 * as a whole is bounded by {@code micronaut.server.max-request-size}.
 */
@ConfigurationProperties("eventstore.api")
public class ApiLimits {

    private int maxEventsPerAppend = 1000;
    private int maxEventDataBytes = 1024 * 1024;
    private int maxEventMetadataBytes = 64 * 1024;
    private int defaultPageSize = 100;
    private int maxPageSize = 1000;

    public int getMaxEventsPerAppend() {
        return maxEventsPerAppend;
    }

    public void setMaxEventsPerAppend(int maxEventsPerAppend) {
        if (maxEventsPerAppend < 1 || maxEventsPerAppend > EventStore.MAX_EVENTS_PER_APPEND) {
            throw new IllegalArgumentException("eventstore.api.max-events-per-append must be 1.."
                    + EventStore.MAX_EVENTS_PER_APPEND + ", was " + maxEventsPerAppend);
        }
        this.maxEventsPerAppend = maxEventsPerAppend;
    }

    public int getMaxEventDataBytes() {
        return maxEventDataBytes;
    }

    public void setMaxEventDataBytes(int maxEventDataBytes) {
        this.maxEventDataBytes = positive("max-event-data-bytes", maxEventDataBytes);
    }

    public int getMaxEventMetadataBytes() {
        return maxEventMetadataBytes;
    }

    public void setMaxEventMetadataBytes(int maxEventMetadataBytes) {
        this.maxEventMetadataBytes = positive("max-event-metadata-bytes", maxEventMetadataBytes);
    }

    public int getDefaultPageSize() {
        return defaultPageSize;
    }

    public void setDefaultPageSize(int defaultPageSize) {
        this.defaultPageSize = positive("default-page-size", defaultPageSize);
    }

    public int getMaxPageSize() {
        return maxPageSize;
    }

    public void setMaxPageSize(int maxPageSize) {
        this.maxPageSize = positive("max-page-size", maxPageSize);
    }

    private static int positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException("eventstore.api." + name + " must be positive, was " + value);
        }
        return value;
    }
}
