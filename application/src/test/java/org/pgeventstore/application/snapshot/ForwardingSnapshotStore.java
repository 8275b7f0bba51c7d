package org.pgeventstore.application.snapshot;

import java.time.Instant;
import java.util.Optional;
import org.pgeventstore.application.eventstore.StreamId;

/** A snapshot store that hands every call to another; tests override what they want to disturb. */
public class ForwardingSnapshotStore implements SnapshotStore {

    private final SnapshotStore delegate;

    public ForwardingSnapshotStore(SnapshotStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public boolean save(Snapshot snapshot) {
        return delegate.save(snapshot);
    }

    @Override
    public Optional<Snapshot> latest(StreamId stream, int schemaVersion, long atMostVersion) {
        return delegate.latest(stream, schemaVersion, atMostVersion);
    }

    @Override
    public Optional<Snapshot> latestAsOf(StreamId stream, int schemaVersion, Instant instant) {
        return delegate.latestAsOf(stream, schemaVersion, instant);
    }

    @Override
    public int prune(StreamId stream, int keep) {
        return delegate.prune(stream, keep);
    }
}
