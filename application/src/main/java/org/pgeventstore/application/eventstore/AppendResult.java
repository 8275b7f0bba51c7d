package org.pgeventstore.application.eventstore;

import java.time.Instant;
import java.util.Objects;

/**
 * What one append wrote: the stream's versions, the feed positions of its first and last event,
 * and the time the store recorded for its events ({@link RecordedEvent#occurredAt()}, the same for
 * every event of one append). {@code replayed} is true when the request was a re-send of an append
 * already committed, which was answered from the store and appended nothing; the time is then the
 * original one.
 */
public record AppendResult(
        String streamId,
        long firstVersion,
        long lastVersion,
        long firstPosition,
        long lastPosition,
        Instant occurredAt,
        boolean replayed) {

    public AppendResult {
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(occurredAt, "occurredAt");
    }
}
