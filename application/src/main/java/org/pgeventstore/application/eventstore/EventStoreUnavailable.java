package org.pgeventstore.application.eventstore;

/**
 * The store could not be reached, did not answer in time, or gave up on the operation
 * (a statement or lock timeout, a deadlock). The operation may be retried: an append
 * that fails this way either committed whole or not at all, and the caller cannot tell
 * which; a re-send with the same event ids is answered idempotently.
 */
public final class EventStoreUnavailable extends RuntimeException {

    public EventStoreUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
