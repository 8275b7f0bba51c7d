package org.pgeventstore.application.projection;

import java.util.Objects;
import java.util.Optional;

/**
 * The latest rebuild of a projection, while it runs or after it failed. A rebuild that succeeded
 * leaves none behind: its read model is the live one.
 *
 * @param position how far into the feed the rebuild got
 * @param error why it failed, when it did
 */
public record ProjectionRebuild(Status status, long position, Optional<String> error) {

    public enum Status {
        RUNNING,
        /** It stopped before the swap; the live read model was left as it was. */
        FAILED
    }

    public ProjectionRebuild {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(error, "error");
    }

    /** The same rebuild, failed with {@code why}. */
    public ProjectionRebuild failed(String why) {
        return new ProjectionRebuild(Status.FAILED, position, Optional.of(why));
    }
}
