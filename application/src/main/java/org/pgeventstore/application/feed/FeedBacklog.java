package org.pgeventstore.application.feed;

import org.pgeventstore.application.eventstore.EventFilter;

/** How much of the global feed lies ahead of a reader, as counts the feed can give cheaply. */
public interface FeedBacklog {

    /** The largest count given exactly; a count at the cap means "at least". */
    long COUNT_CAP = FeedHorizon.COUNT_CAP;

    /** The position of the last event the feed hands out now; 0 when it hands out none. */
    long lastPosition();

    /** The events the feed hands out now after {@code position} that match {@code filter}, up to {@link #COUNT_CAP}. */
    long eventsAfter(long position, EventFilter filter);
}
