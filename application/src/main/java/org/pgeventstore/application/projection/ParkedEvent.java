package org.pgeventstore.application.projection;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * An event waiting in a projection's parking place. The first one of a stream (its head) carries
 * the error that parked the stream; the ones behind it wait without an error of their own.
 */
public record ParkedEvent(long position, String streamId, long version, String type, UUID eventId, String error,
                          Instant parkedAt) {

    public ParkedEvent {
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(parkedAt, "parkedAt");
    }
}
