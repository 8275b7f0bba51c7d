package org.pgeventstore.application.eventstore;

import java.util.regex.Pattern;

/**
 * The id of one event stream: 1..200 characters of {@code [A-Za-z0-9_.:@-]}.
 * Its category is the part before the first {@code -} ({@code order-42} is in
 * category {@code order}); an id without {@code -} is its own category.
 */
public record StreamId(String value) {

    public static final int MAX_LENGTH = 200;
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_.:@-]{1," + MAX_LENGTH + "}");

    public StreamId {
        if (value == null || !VALID.matcher(value).matches()) {
            throw new InvalidEventData("streamId",
                    "a stream id is 1.." + MAX_LENGTH + " characters of A-Z a-z 0-9 _ . : @ -");
        }
    }

    public static StreamId of(String value) {
        return new StreamId(value);
    }

    public String category() {
        int dash = value.indexOf('-');
        return dash < 0 ? value : value.substring(0, dash);
    }

    @Override
    public String toString() {
        return value;
    }
}
