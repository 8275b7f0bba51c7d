package org.pgeventstore.application.order;

/**
 * A stored event of an order stream that cannot be turned back into an {@code OrderEvent}, or
 * cannot take its place in the order's history. The stream is unusable until the event is
 * repaired or an upcaster is registered, so this is a server-side failure, never a client error.
 * Every subclass names the stream, the event's version in it and its stored type.
 */
public abstract sealed class UnreadableOrderEvent extends RuntimeException permits UnknownEventType, CorruptEvent {

    private final String streamId;
    private final long version;
    private final String type;

    UnreadableOrderEvent(String streamId, long version, String type, String message, Throwable cause) {
        super(message, cause);
        this.streamId = streamId;
        this.version = version;
        this.type = type;
    }

    public String streamId() {
        return streamId;
    }

    /** The event's version in its stream. */
    public long version() {
        return version;
    }

    /** The event's stored type name. */
    public String type() {
        return type;
    }
}
