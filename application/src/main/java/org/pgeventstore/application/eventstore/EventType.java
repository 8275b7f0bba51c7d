package org.pgeventstore.application.eventstore;

import java.util.regex.Pattern;

/** Rules for an event type name: 1..200 characters of {@code [A-Za-z0-9_.:-]}. */
public final class EventType {

    public static final int MAX_LENGTH = 200;
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_.:-]{1," + MAX_LENGTH + "}");

    private EventType() {
    }

    public static boolean isValid(String type) {
        return type != null && VALID.matcher(type).matches();
    }

    static String require(String type) {
        if (!isValid(type)) {
            throw new InvalidEventData("type", "an event type is 1.." + MAX_LENGTH + " characters of A-Z a-z 0-9 _ . : -");
        }
        return type;
    }
}
