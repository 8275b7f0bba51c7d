package org.pgeventstore.application.projection;

import java.util.Objects;
import org.pgeventstore.application.eventstore.RecordedEvent;

/**
 * The projection's handler threw on {@link #event()}: the batch holding it was rolled back whole,
 * so none of its events took effect.
 */
public final class ProjectionEventFailed extends RuntimeException {

    private final RecordedEvent event;

    public ProjectionEventFailed(RecordedEvent event, RuntimeException cause) {
        super("could not apply event " + event.type() + " at version " + event.version() + " of stream "
                + event.streamId() + " (position " + event.position() + "): " + cause.getMessage(), cause);
        this.event = Objects.requireNonNull(event, "event");
    }

    public RecordedEvent event() {
        return event;
    }

    /** The handler's failure as an operator is shown it: its type and message. */
    public String error() {
        Throwable cause = getCause() == null ? this : getCause();
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }
}
