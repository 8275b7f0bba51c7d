package org.pgeventstore.application.projection;

import java.util.Objects;

/** A stream held back by a projection: the event it is parked at and how many of its events wait, that one included. */
public record ParkedStream(String streamId, ParkedEvent head, long waitingEvents) {

    public ParkedStream {
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(head, "head");
        if (waitingEvents < 1) {
            throw new IllegalArgumentException("a parked stream has at least its head waiting, was " + waitingEvents);
        }
    }
}
