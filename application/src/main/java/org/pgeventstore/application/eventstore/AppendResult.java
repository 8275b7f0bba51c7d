package org.pgeventstore.application.eventstore;

/**
 * What one append wrote: the stream's versions and the feed positions of its
 * first and last event. {@code replayed} is true when the request was a
 * re-send of an append already committed, which was answered from the store
 * and appended nothing.
 */
public record AppendResult(
        String streamId,
        long firstVersion,
        long lastVersion,
        long firstPosition,
        long lastPosition,
        boolean replayed) {
}
