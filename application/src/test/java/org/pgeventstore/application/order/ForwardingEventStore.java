package org.pgeventstore.application.order;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
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

/** An event store that hands every call to another; tests override what they want to disturb. */
public class ForwardingEventStore implements EventStore {

    protected final EventStore delegate;

    public ForwardingEventStore(EventStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public AppendResult append(StreamId stream, ExpectedVersion expected, List<NewEvent> events) {
        return delegate.append(stream, expected, events);
    }

    @Override
    public StreamSlice read(StreamId stream, long fromVersion, int limit) {
        return delegate.read(stream, fromVersion, limit);
    }

    @Override
    public FeedPage readAll(long after, int limit, EventFilter filter) {
        return delegate.readAll(after, limit, filter);
    }

    @Override
    public Optional<RecordedEvent> findEvent(StreamId stream, UUID eventId) {
        return delegate.findEvent(stream, eventId);
    }

    @Override
    public long currentVersion(StreamId stream) {
        return delegate.currentVersion(stream);
    }

    @Override
    public StreamListPage listStreams(StreamListQuery query) {
        return delegate.listStreams(query);
    }
}
