package org.pgeventstore.application.eventstore;

import java.time.Instant;
import java.util.UUID;

/**
 * An event as stored: its place in its stream ({@code version}, from 1), its
 * place in the global feed ({@code position}, unique, increasing in feed order,
 * not dense), the time it was appended, and the schema version of its data's shape.
 */
public record RecordedEvent(
        UUID eventId,
        String streamId,
        String type,
        int schemaVersion,
        long version,
        long position,
        String data,
        String metadata,
        Instant occurredAt) {

    /** An event stored in the first shape of its type. */
    public RecordedEvent(UUID eventId, String streamId, String type, long version, long position, String data,
                         String metadata, Instant occurredAt) {
        this(eventId, streamId, type, NewEvent.FIRST_SCHEMA_VERSION, version, position, data, metadata, occurredAt);
    }

    /** The same event with its data and type as a reader of today's shapes sees them. */
    public RecordedEvent withShape(String currentType, int currentSchemaVersion, String currentData) {
        return new RecordedEvent(eventId, streamId, currentType, currentSchemaVersion, version, position, currentData,
                metadata, occurredAt);
    }
}
