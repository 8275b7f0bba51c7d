package org.pgeventstore.application.eventstore;

/**
 * The store could not be reached or did not answer in time. The operation may be
 * retried: an append that fails this way either committed whole or not at all,
 * and a re-send with the same event ids is answered idempotently.
 */
public final class EventStoreUnavailable extends RuntimeException {

    public EventStoreUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
