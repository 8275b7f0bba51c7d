package org.pgeventstore.application.projection;

import java.util.Locale;

/** Where a projection is: applying the feed, rebuilding, paused by an operator, or stopped at an event it could not apply. */
public enum ProjectionStatus {
    RUNNING,
    REBUILDING,
    PAUSED,
    FAILED;

    /** The status as stored and shown, e.g. {@code "failed"}. */
    public String inWords() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ProjectionStatus fromWords(String words) {
        return valueOf(words.toUpperCase(Locale.ROOT));
    }
}
