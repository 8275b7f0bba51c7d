package org.pgeventstore.application.eventstore;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

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
 * appends to one stream all succeed, each with its own contiguous versions. The same holds
 * for {@link ExpectedVersion#EXISTS} on a stream that exists: it fails only when the stream
 * has no events.
 *
 * <h2>Idempotency</h2>
 * An append whose event ids all belong, in the same order and at contiguous versions,
 * to events already stored in the same stream, with the same type, schema version, data
 * and metadata (JSON values compared as values; the metadata keys {@code correlationId},
 * {@code causationId}, {@code userId} and {@code onBehalfOf}, which describe the request rather than the event,
 * are not compared), is a re-send: it returns the original versions, positions and time with
 * {@link AppendResult#replayed()} set, appends nothing and ignores the expected version. Any
 * other reuse of a stored event id, a re-send with other content included, throws
 * {@link DuplicateEventId}.
 *
 * <h2>Time</h2>
 * The store stamps every event with one clock of its own when it is appended
 * ({@link RecordedEvent#occurredAt()}, the same for all events of an append), never the
 * writer's: instances with clocks apart still record one timeline. Within a stream the times
 * never decrease with versions, so the events of a stream up to an instant are a prefix of it.
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

    /** The event with id {@code eventId} if it is stored in {@code stream}; empty when it is not, or is stored elsewhere. */
    Optional<RecordedEvent> findEvent(StreamId stream, UUID eventId);

    /** The stream's current version: the version of its last event, or 0. */
    long currentVersion(StreamId stream);

    /**
     * The streams that have events, ordered by category and then by stream id (as the store orders
     * text), each with its current version and the position and time of its last event. A reader
     * that passes each page's {@code next} as the following query's {@code after} sees every stream
     * that existed before it began exactly once; a stream created meanwhile may or may not appear.
     */
    StreamListPage listStreams(StreamListQuery query);

    /**
     * This store as seen by a caller that must read its own write at {@code position} (an append's
     * last position): every read of the returned store reflects all events at or below it. A store
     * that reads where it appends is such a reader already and returns itself; one that reads from
     * a replica waits, for a bounded time, until the replica has replayed {@code position}, then
     * reads from the primary instead. Appends always go where they went.
     */
    default EventStore reflecting(long position) {
        return this;
    }
}
