package org.pgeventstore.application.projection;

/**
 * The right to run one projection, held by one runner among all instances of the service.
 * Correctness never depends on it (the checkpoint guard of {@link ProjectionStore#apply} does
 * that); it keeps a second runner from reading the feed for nothing.
 */
public interface ProjectionLease extends AutoCloseable {

    /** Whether the lease is still held; false once its holder lost its connection. */
    boolean isHeld();

    /** Gives the lease up, so that another runner can take over at once. */
    @Override
    void close();
}
