package org.pgeventstore.application.aggregate;

import org.pgeventstore.application.eventstore.RecordedEvent;

/**
 * A stored event an aggregate cannot read back or fold: unknown type or schema version, data
 * that does not parse, or an event that cannot follow the ones before it. A server-side failure:
 * the stream is unusable until the event is repaired or the codec learns its shape.
 */
public final class UnreadableEvent extends RuntimeException {

    private final String streamId;
    private final long version;
    private final String type;

    public UnreadableEvent(RecordedEvent recorded, String reason, Throwable cause) {
        super("event " + recorded.type() + " (schema version " + recorded.schemaVersion() + ") at version "
                + recorded.version() + " of stream " + recorded.streamId() + " is unreadable: " + reason, cause);
        this.streamId = recorded.streamId();
        this.version = recorded.version();
        this.type = recorded.type();
    }

    public String streamId() {
        return streamId;
    }

    public long version() {
        return version;
    }

    public String type() {
        return type;
    }
}
