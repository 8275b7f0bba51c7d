package org.pgeventstore.application.projection;

/**
 * A batch was read from a checkpoint that is no longer the projection's: another runner applied
 * events in between. Nothing of the batch was applied; the runner reads its checkpoint again.
 */
public final class CheckpointMoved extends RuntimeException {

    public CheckpointMoved(String projection, long expected, long actual) {
        super("projection " + projection + " was expected at position " + expected + " but is at " + actual);
    }
}
