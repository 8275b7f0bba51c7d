package org.pgeventstore.application.order;

/**
 * No reader is registered for the stored event's type at its schema version. Message:
 * {@code "no reader for event type Foo (schema version 1) at version 3 of stream order-<id>"}.
 */
public final class UnknownEventType extends UnreadableOrderEvent {

    private final int schemaVersion;

    public UnknownEventType(String streamId, long version, String type, int schemaVersion) {
        super(streamId, version, type, "no reader for event type " + type + " (schema version " + schemaVersion
                + ") at version " + version + " of stream " + streamId, null);
        this.schemaVersion = schemaVersion;
    }

    public int schemaVersion() {
        return schemaVersion;
    }
}
