package org.pgeventstore.application.feed;

import org.pgeventstore.application.eventstore.EventFilter;
import org.pgeventstore.application.eventstore.EventStore;
import org.pgeventstore.application.eventstore.FeedPage;

/**
 * A {@link FeedBacklog} of any {@link EventStore}, found by reading its feed page by page: exact,
 * and as costly as the events it walks, so for the in-memory store and tests. PostgreSQL counts
 * on its indexes instead.
 */
public final class ScannedFeedBacklog implements FeedBacklog {

    private static final int PAGE = 1000;

    private final EventStore store;

    public ScannedFeedBacklog(EventStore store) {
        this.store = store;
    }

    @Override
    public long lastPosition() {
        long last = 0;
        while (true) {
            FeedPage page = store.readAll(last, PAGE, EventFilter.ALL);
            if (page.events().isEmpty()) {
                return last;
            }
            last = page.next();
        }
    }

    @Override
    public long eventsAfter(long position, EventFilter filter) {
        long counted = 0;
        long after = position;
        while (counted < COUNT_CAP) {
            FeedPage page = store.readAll(after, (int) Math.min(PAGE, COUNT_CAP - counted), filter);
            if (page.events().isEmpty()) {
                break;
            }
            counted += page.events().size();
            after = page.next();
        }
        return counted;
    }
}
