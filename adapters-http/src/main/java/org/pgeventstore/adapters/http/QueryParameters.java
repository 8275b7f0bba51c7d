package org.pgeventstore.adapters.http;

import org.pgeventstore.application.eventstore.InvalidEventData;
import org.pgeventstore.application.eventstore.StreamId;

/** Parses path and query parameters, answering 400 with the parameter's name when one is unusable. */
public final class QueryParameters {

    private QueryParameters() {
    }

    public static long longAtLeast(String name, String value, long defaultValue, long minimum) {
        if (value == null || value.isEmpty()) {
            return defaultValue;
        }
        try {
            long parsed = Long.parseLong(value);
            if (parsed < minimum) {
                throw ApiProblem.badParameter(name, "must be " + minimum + " or more; was " + parsed);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw ApiProblem.badParameter(name, "must be a whole number; was " + ApiProblem.quoted(value));
        }
    }

    /** What the {@code minPosition} parameter of a read route means, for its documentation. */
    public static final String MIN_POSITION = "Read your own write: reflect at least every event up to this position "
            + "(an append's lastPosition, an order's position); waits a moment for a replica that has not replayed it";

    /** The {@code minPosition} parameter: 0 (no wish) when absent. */
    public static long minPosition(String value) {
        return longAtLeast("minPosition", value, 0, 0);
    }

    /** A page size: at least 1; a larger one than allowed is served as the largest allowed. */
    public static int pageSize(String value, ApiLimits limits) {
        long requested = longAtLeast("limit", value, limits.getDefaultPageSize(), 1);
        return (int) Math.min(requested, limits.getMaxPageSize());
    }

    public static StreamId streamId(String value) {
        try {
            return StreamId.of(value);
        } catch (InvalidEventData e) {
            throw ApiProblem.badParameter("streamId", "must be 1..200 characters of A-Z a-z 0-9 _ . : @ -; was "
                    + ApiProblem.quoted(value));
        }
    }
}
