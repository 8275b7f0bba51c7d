package org.pgeventstore.application.replica;

/** What the replica routing counts; bootstrap turns it into meters. */
public interface ReplicaMetrics {

    /** Why a read that would have gone to the replica went to the primary. */
    enum Fallback {
        /** The replica did not answer (a read failed, or the latest look at it did). */
        UNREACHABLE,
        /** The replica had not replayed the position the read asked for within the wait. */
        BEHIND
    }

    /** A read with a position to reflect waited for the replica; {@code caughtUp} whether it got there in time. */
    void waited(boolean caughtUp);

    /** A read went to the primary instead of the replica. */
    void fellBack(Fallback reason);

    ReplicaMetrics NONE = new ReplicaMetrics() {
        @Override
        public void waited(boolean caughtUp) {
        }

        @Override
        public void fellBack(Fallback reason) {
        }
    };
}
