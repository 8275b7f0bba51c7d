package org.pgeventstore.application.eventstore;

import java.util.UUID;

/**
 * An append carrying an event id that is already stored, other than as an exact
 * re-send of a committed append of the same stream; nothing was appended.
 */
public final class DuplicateEventId extends RuntimeException {

    private final String streamId;
    private final UUID eventId;

    public DuplicateEventId(String streamId, UUID eventId) {
        super("event id " + eventId + " is already stored, and the append to " + streamId
                + " is not an exact re-send of the append that stored it");
        this.streamId = streamId;
        this.eventId = eventId;
    }

    public String streamId() {
        return streamId;
    }

    public UUID eventId() {
        return eventId;
    }
}
