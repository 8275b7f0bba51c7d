package org.pgeventstore.application.subscription;

import java.util.List;
import org.pgeventstore.application.eventstore.RecordedEvent;

/**
 * What one poll hands a member: its events in feed order, and {@code next}, the position to
 * acknowledge once they are processed. {@code next} covers everything the poll scanned, the events
 * of other members included, so a member with little to do keeps up with the feed.
 */
public record Delivery(List<RecordedEvent> events, long next) {

    public Delivery {
        events = List.copyOf(events);
    }
}
