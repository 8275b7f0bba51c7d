package org.pgeventstore.application.eventstore;

import java.time.Instant;
import java.util.UUID;

/**
 * An event as stored: its place in its stream ({@code version}, from 1), its
 * place in the global feed ({@code position}, unique, increasing in feed order,
 * not dense) and the time it was appended.
 */
public record RecordedEvent(
        UUID eventId,
        String streamId,
        String type,
        long version,
        long position,
        String data,
        String metadata,
        Instant occurredAt) {
}
