package org.pgeventstore.application.order;

import java.util.List;
import org.pgeventstore.application.eventstore.RecordedEvent;

/** An order's stream as stored, oldest first; {@code version} is the version of its last event. */
public record OrderHistory(String streamId, long version, List<RecordedEvent> events) {

    public OrderHistory {
        events = List.copyOf(events);
    }
}
