package org.pgeventstore.adapters.http;

import com.fasterxml.jackson.annotation.JsonRawValue;
import java.time.Instant;
import java.util.UUID;
import org.pgeventstore.application.eventstore.RecordedEvent;

/** An event as the API shows it; {@code data} and {@code metadata} are the stored JSON. */
public record EventView(
        UUID eventId,
        String streamId,
        String type,
        int schemaVersion,
        long version,
        long position,
        @JsonRawValue String data,
        @JsonRawValue String metadata,
        Instant occurredAt) {

    public static EventView of(RecordedEvent event) {
        return new EventView(event.eventId(), event.streamId(), event.type(), event.schemaVersion(), event.version(),
                event.position(),
                event.data(), event.metadata(), event.occurredAt());
    }
}
