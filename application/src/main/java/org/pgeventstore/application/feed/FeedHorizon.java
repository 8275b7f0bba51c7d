package org.pgeventstore.application.feed;

/**
 * What holds the global feed back. The feed hands out an event only once no event with a lower
 * position can still appear, so a transaction that stays open (a forgotten {@code BEGIN}, a
 * prepared transaction, a long migration, anywhere on the database server) withholds every event
 * committed after it began: they are not lost, but no consumer sees them until it ends. This port
 * makes such a stall visible.
 */
public interface FeedHorizon {

    /** The largest number of withheld events that is counted exactly; a count at the cap means "at least". */
    long COUNT_CAP = 100_000;

    /** What the feed withholds now, and who holds it back. */
    FeedStall current();

    /** A store whose feed never withholds anything, such as the in-memory one. */
    static FeedHorizon never() {
        return new FeedHorizon() {
            @Override
            public FeedStall current() {
                return FeedStall.NONE;
            }
        };
    }
}
