package org.pgeventstore.application.snapshot;

/**
 * A stored snapshot that does not decode into the state its schema version promises. The load
 * that met it ignores it and replays the stream's events instead.
 */
public final class UnreadableSnapshot extends RuntimeException {

    public UnreadableSnapshot(String message, Throwable cause) {
        super(message, cause);
    }
}
