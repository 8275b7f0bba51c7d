package org.pgeventstore.application.eventstore;

/** An argument to the event store that breaks its rules; {@link #field()} names the offending input. */
public final class InvalidEventData extends IllegalArgumentException {

    private final String field;

    public InvalidEventData(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
