package org.pgeventstore.application.eventstore;

import java.util.List;

/** Part of one stream, oldest first; {@code version} is the stream's current version (0 if it has no events). */
public record StreamSlice(String streamId, long version, List<RecordedEvent> events) {

    public StreamSlice {
        events = List.copyOf(events);
    }
}
