package org.pgeventstore.application.feed;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What the global feed withholds at one moment.
 *
 * @param withheldEvents events committed but not yet handed out, counted up to {@link FeedHorizon#COUNT_CAP}
 * @param oldestWithheld how long the oldest of them has waited; zero when none
 * @param holder the transaction that holds the feed back, when one is withheld and it can be seen
 */
public record FeedStall(long withheldEvents, Duration oldestWithheld, Optional<HorizonHolder> holder) {

    public static final FeedStall NONE = new FeedStall(0, Duration.ZERO, Optional.empty());

    public FeedStall {
        Objects.requireNonNull(oldestWithheld, "oldestWithheld");
        Objects.requireNonNull(holder, "holder");
    }

    public boolean stalled() {
        return withheldEvents > 0;
    }
}
