package org.pgeventstore.application.eventstore;

import java.util.UUID;

/**
 * An append carrying an event id that is already stored, other than as an exact re-send of a
 * committed append of the same stream; nothing was appended. {@code contentDiffers} tells the
 * case where every id was stored as such an append, but with another type, schema version, data
 * or metadata: a re-send must carry the same events, else it would silently drop the new content.
 */
public final class DuplicateEventId extends RuntimeException {

    private final String streamId;
    private final UUID eventId;
    private final boolean contentDiffers;

    public DuplicateEventId(String streamId, UUID eventId) {
        this(streamId, eventId, false);
    }

    public DuplicateEventId(String streamId, UUID eventId, boolean contentDiffers) {
        super(contentDiffers
                ? "event id " + eventId + " is already stored in " + streamId + " with another type, schema version, "
                        + "data or metadata; a re-send must carry the same events, new events need new ids"
                : "event id " + eventId + " is already stored, and the append to " + streamId
                        + " is not an exact re-send of the append that stored it");
        this.streamId = streamId;
        this.eventId = eventId;
        this.contentDiffers = contentDiffers;
    }

    public String streamId() {
        return streamId;
    }

    public UUID eventId() {
        return eventId;
    }

    public boolean contentDiffers() {
        return contentDiffers;
    }
}
