package org.pgeventstore.application.eventstore;

import java.util.List;

/**
 * An append-only log of events, grouped in streams.
 *
 * <h2>Versions</h2>
 * Each stream numbers its events from 1 without gaps; a stream without events is
 * at version 0. An append is all or nothing: its events get the versions right
 * after the stream's current version, in the order given.
 *
 * <h2>Concurrency</h2>
 * {@link #append} checks the {@link ExpectedVersion} atomically with the write and
 * throws {@link ConcurrencyConflict} (appending nothing) when it does not hold.
 * With {@link ExpectedVersion#ANY} an append never fails for concurrency: concurrent
 * appends to one stream all succeed, each with its own contiguous versions.
 *
 * <h2>Idempotency</h2>
 * An append whose event ids all belong, in the same order and at contiguous versions,
 * to events already stored in the same stream is a re-send: it returns the original
 * versions and positions with {@link AppendResult#replayed()} set, appends nothing and
 * ignores the expected version. Any other reuse of a stored event id throws
 * {@link DuplicateEventId}.
 *
 * <h2>The global feed</h2>
 * Every event has a {@code position}, unique and never reused. {@link #readAll} hands
 * events out in increasing position order and never hands out an event while an event
 * with a lower position may still become visible, so a reader that passes the last
 * position it saw as {@code after} sees every committed event exactly once, even
 * while writers commit concurrently and out of order. Within a stream, positions
 * increase with versions. Positions need not be dense.
 *
 * <p>Every method may throw {@link EventStoreUnavailable} when the storage is out of reach.
 */
public interface EventStore {

    /** The largest number of events one append may carry, whatever the configuration says. */
    int MAX_EVENTS_PER_APPEND = 65_536;

    /**
     * Appends {@code events} (1..{@value #MAX_EVENTS_PER_APPEND}) to {@code stream}.
     *
     * @throws ConcurrencyConflict when {@code expected} does not hold
     * @throws DuplicateEventId    when an event id is already stored and this is not a re-send
     */
    AppendResult append(StreamId stream, ExpectedVersion expected, List<NewEvent> events);

    /** Up to {@code limit} events of {@code stream} from {@code fromVersion} on, oldest first. */
    StreamSlice read(StreamId stream, long fromVersion, int limit);

    /** Up to {@code limit} events of the global feed with a position greater than {@code after} that match {@code filter}. */
    FeedPage readAll(long after, int limit, EventFilter filter);

    /** The stream's current version: the version of its last event, or 0. */
    long currentVersion(StreamId stream);
}
