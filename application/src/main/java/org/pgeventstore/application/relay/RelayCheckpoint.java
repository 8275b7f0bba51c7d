package org.pgeventstore.application.relay;

import org.pgeventstore.application.projection.CheckpointMoved;

/**
 * The feed position up to which a relay's events are acknowledged by the broker: everything at or
 * before it is published, everything after it is not known to be.
 *
 * <p>{@link #moveTo} is a compare-and-set: it moves the checkpoint from {@code expected} to
 * {@code next} and throws {@link CheckpointMoved} when it is not at {@code expected} (another relay
 * instance moved it), so two relays that overlap for a moment never move it backwards.
 */
public interface RelayCheckpoint {

    /** The relay's name, e.g. {@code nats-relay}; one checkpoint per name. */
    String name();

    /** The checkpoint, 0 when the relay has never published. */
    long position();

    /**
     * Moves the checkpoint from {@code expected} to {@code next}.
     *
     * @throws CheckpointMoved when the checkpoint is not at {@code expected}
     */
    void moveTo(long expected, long next);
}
