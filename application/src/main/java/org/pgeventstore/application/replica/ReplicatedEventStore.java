package org.pgeventstore.application.replica;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.pgeventstore.application.eventstore.AppendResult;
import org.pgeventstore.application.eventstore.EventFilter;
import org.pgeventstore.application.eventstore.EventStore;
import org.pgeventstore.application.eventstore.ExpectedVersion;
import org.pgeventstore.application.eventstore.FeedPage;
import org.pgeventstore.application.eventstore.NewEvent;
import org.pgeventstore.application.eventstore.RecordedEvent;
import org.pgeventstore.application.eventstore.StreamId;
import org.pgeventstore.application.eventstore.StreamListPage;
import org.pgeventstore.application.eventstore.StreamListQuery;
import org.pgeventstore.application.eventstore.StreamSlice;

/**
 * An event store that appends to the primary and reads from a streaming replica of it, as
 * {@link ReplicaRouting} decides. The replica's feed keeps the guarantee of
 * {@link EventStore#readAll} on its own (docs/adr/0011-replica-reads.md), and a consumer may move
 * between the two: every position either hands out is a position of the primary's feed, and a
 * checkpoint taken on one is valid on the other (the replica answers nothing after it until it
 * has caught up). A read through {@link #reflecting(long)} sees the caller's own writes.
 */
public final class ReplicatedEventStore implements EventStore {

    private final EventStore primary;
    private final EventStore replica;
    private final ReplicaRouting routing;
    private final long minPosition;

    public ReplicatedEventStore(EventStore primary, EventStore replica, ReplicaRouting routing) {
        this(primary, replica, routing, 0);
    }

    private ReplicatedEventStore(EventStore primary, EventStore replica, ReplicaRouting routing, long minPosition) {
        this.primary = primary;
        this.replica = replica;
        this.routing = routing;
        this.minPosition = minPosition;
    }

    @Override
    public AppendResult append(StreamId stream, ExpectedVersion expected, List<NewEvent> events) {
        return primary.append(stream, expected, events);
    }

    @Override
    public StreamSlice read(StreamId stream, long fromVersion, int limit) {
        return read(store -> store.read(stream, fromVersion, limit));
    }

    @Override
    public FeedPage readAll(long after, int limit, EventFilter filter) {
        return read(store -> store.readAll(after, limit, filter));
    }

    @Override
    public Optional<RecordedEvent> findEvent(StreamId stream, UUID eventId) {
        return read(store -> store.findEvent(stream, eventId));
    }

    @Override
    public long currentVersion(StreamId stream) {
        return read(store -> store.currentVersion(stream));
    }

    @Override
    public StreamListPage listStreams(StreamListQuery query) {
        return read(store -> store.listStreams(query));
    }

    @Override
    public EventStore reflecting(long position) {
        return position <= minPosition ? this : new ReplicatedEventStore(primary, replica, routing, position);
    }

    private <R> R read(Function<EventStore, R> read) {
        return routing.read(primary, replica, minPosition, routing.hasReplayed(minPosition), read);
    }
}
