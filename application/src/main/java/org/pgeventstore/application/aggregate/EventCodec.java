package org.pgeventstore.application.aggregate;

import java.util.UUID;
import org.pgeventstore.application.eventstore.NewEvent;
import org.pgeventstore.application.eventstore.RecordedEvent;

/**
 * Turns an aggregate's events into stored events and back. Reading takes every shape ever
 * stored: older schema versions are upcast and renamed types read under their current name
 * ({@link JsonEventCodec} does both for JSON data).
 *
 * @param <E> the aggregate's events
 */
public interface EventCodec<E> {

    /** The event to append, in its type's current schema version, with {@code metadata} as given. */
    NewEvent encode(E event, UUID eventId, String metadata);

    /**
     * The event {@code recorded} holds, in its current shape.
     *
     * @throws RuntimeException (best {@link #unreadable}'s) when its type, version or data is not one this codec reads
     */
    E decode(RecordedEvent recorded);

    /**
     * The failure reported for a stored event that cannot be read or cannot follow the ones
     * before it; an aggregate whose callers map its own exception type overrides this.
     */
    default RuntimeException unreadable(RecordedEvent recorded, String reason, Throwable cause) {
        return new UnreadableEvent(recorded, reason, cause);
    }
}
