package org.pgeventstore.application.eventstore;

import java.util.List;

/**
 * One page of the global feed in increasing position order. {@code next} is the
 * position to pass as {@code after} for the following page: the last position
 * of this page, or the {@code after} given when the page is empty.
 */
public record FeedPage(List<RecordedEvent> events, long next) {

    public FeedPage {
        events = List.copyOf(events);
    }
}
