package org.pgeventstore.application.relay;

import java.util.Objects;
import org.pgeventstore.application.projection.CheckpointMoved;

/** A {@link RelayCheckpoint} in memory, for tests and a single process that may start again from 0. */
public final class InMemoryRelayCheckpoint implements RelayCheckpoint {

    private final String name;
    private long position;

    public InMemoryRelayCheckpoint(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public synchronized long position() {
        return position;
    }

    @Override
    public synchronized void moveTo(long expected, long next) {
        if (position != expected) {
            throw new CheckpointMoved(name, expected, position);
        }
        position = next;
    }
}
