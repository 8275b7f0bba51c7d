package org.pgeventstore.application.aggregate;

import java.time.Instant;
import java.util.Objects;

/** Which state of an aggregate a load rebuilds. */
public sealed interface LoadTarget {

    LoadTarget CURRENT = new Current();

    /** Every event. */
    record Current() implements LoadTarget {
    }

    /** Events 1 to {@code version} (1 or more), fewer if the stream is shorter. */
    record AtVersion(long version) implements LoadTarget {

        public AtVersion {
            if (version < 1) {
                throw new IllegalArgumentException("an aggregate is loaded at version 1 or more, not " + version);
            }
        }
    }

    /** The longest run of events from the first that all occurred at or before {@code instant}. */
    record AsOf(Instant instant) implements LoadTarget {

        public AsOf {
            Objects.requireNonNull(instant, "instant");
        }
    }
}
