package org.pgeventstore.application.aggregate;

import org.pgeventstore.application.snapshot.Snapshot;

/**
 * Writes an aggregate's state into a snapshot and reads it back. A load only uses snapshots of
 * {@link #schemaVersion()}: when the state's shape changes, bump it, and older snapshots are
 * ignored (the events are replayed) until new ones are taken.
 *
 * @param <S> the aggregate's state
 */
public interface StateCodec<S> {

    /** The shape this codec writes and reads. */
    int schemaVersion();

    /** The snapshot bytes of {@code state}: a binary encoding, or the UTF-8 of a text such as JSON. */
    byte[] encode(S state);

    /**
     * The state {@code snapshot} holds, the state of {@code snapshot.stream()} at {@code snapshot.version()}.
     *
     * @throws RuntimeException when it does not decode or belongs to another aggregate; the load then replays the events
     */
    S decode(Snapshot snapshot);
}
