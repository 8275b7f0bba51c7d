package org.pgeventstore.application.order;

/**
 * A stored event of a known type whose data or metadata does not parse, misses a field, holds an
 * invalid value, or cannot follow the events before it in the stream. {@link #reason()} says
 * which, e.g. {@code "data field total is missing"}.
 */
public final class CorruptEvent extends UnreadableOrderEvent {

    private final String reason;

    public CorruptEvent(String streamId, long version, String type, String reason, Throwable cause) {
        super(streamId, version, type,
                "event " + type + " at version " + version + " of stream " + streamId + " is unreadable: " + reason, cause);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
