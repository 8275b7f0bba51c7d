package org.pgeventstore.application.replica;

/**
 * What a streaming replica of the event store says about itself. Both methods ask the replica
 * (not its primary) and may throw {@code EventStoreUnavailable} when it is out of reach.
 */
public interface ReplicaStatus {

    /**
     * The replica's feed bound now: every event with a position below it has been replayed there
     * and can be read there, and no event below it can still appear there. An event at position
     * {@code p} is readable on the replica once this is above {@code p}.
     */
    long visibleBound();

    /** How far the replica trails its primary, with its bound taken at the same moment. */
    ReplicaLag lag();
}
