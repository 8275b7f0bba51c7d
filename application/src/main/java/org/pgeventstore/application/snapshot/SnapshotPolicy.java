package org.pgeventstore.application.snapshot;

import java.util.Map;
import java.util.Objects;

/**
 * Decides whether a stream that just reached a new version is worth a snapshot. Pure: it sees
 * only what the load that preceded it measured, so asking costs nothing.
 *
 * <p>The policies and the adaptive formula are explained in {@code docs/adr/0004-snapshot-policy.md}.
 */
@FunctionalInterface
public interface SnapshotPolicy {

    /**
     * @param category the stream's category, e.g. {@code order}
     * @param eventsSinceSnapshot events after the stream's latest usable snapshot (all of them when it has none)
     * @param recentEventsPerSecond the stream's recent event rate, see {@link SnapshotCandidate#eventsPerSecond}
     */
    boolean shouldSnapshot(String category, long eventsSinceSnapshot, double recentEventsPerSecond);

    /** Never takes a snapshot. Loads still use the snapshots already stored. */
    static SnapshotPolicy never() {
        return new Never();
    }

    /** A snapshot once {@code events} (1 or more) events have gathered since the latest one. */
    static SnapshotPolicy everyEvents(long events) {
        return new EveryEvents(events);
    }

    /** The threshold shrinks as the stream gets busier; see {@link Adaptive}. */
    static SnapshotPolicy adaptive(long minEvents, long maxEvents, double halfRatePerSecond) {
        return new Adaptive(minEvents, maxEvents, halfRatePerSecond);
    }

    /** {@code byCategory}'s policy for the categories it names, {@code otherwise} for the rest. */
    static SnapshotPolicy byCategory(Map<String, SnapshotPolicy> byCategory, SnapshotPolicy otherwise) {
        Map<String, SnapshotPolicy> policies = Map.copyOf(byCategory);
        Objects.requireNonNull(otherwise, "otherwise");
        return (category, eventsSinceSnapshot, rate) ->
                policies.getOrDefault(category, otherwise).shouldSnapshot(category, eventsSinceSnapshot, rate);
    }

    record Never() implements SnapshotPolicy {

        @Override
        public boolean shouldSnapshot(String category, long eventsSinceSnapshot, double recentEventsPerSecond) {
            return false;
        }
    }

    record EveryEvents(long events) implements SnapshotPolicy {

        public EveryEvents {
            if (events < 1) {
                throw new IllegalArgumentException("snapshot every 1 or more events, not " + events);
            }
        }

        @Override
        public boolean shouldSnapshot(String category, long eventsSinceSnapshot, double recentEventsPerSecond) {
            return eventsSinceSnapshot >= events;
        }
    }

    /**
     * Snapshots once the events since the latest snapshot reach
     * <pre>
     *   threshold(rate) = clamp(minEvents, maxEvents, round(maxEvents / (1 + rate / halfRate)))
     * </pre>
     * where {@code rate} is the stream's recent events per second. A quiet stream waits for
     * {@code maxEvents}; at {@code halfRate} events per second the threshold is half that; as
     * the rate grows it falls towards {@code minEvents} and never below. It never grows with
     * the rate: a busy stream is loaded more often, so its replay is paid more often.
     */
    record Adaptive(long minEvents, long maxEvents, double halfRatePerSecond) implements SnapshotPolicy {

        public Adaptive {
            if (minEvents < 1 || maxEvents < minEvents) {
                throw new IllegalArgumentException("the adaptive threshold needs 1 <= minEvents <= maxEvents, not "
                        + minEvents + " and " + maxEvents);
            }
            if (!(halfRatePerSecond > 0) || Double.isInfinite(halfRatePerSecond)) {
                throw new IllegalArgumentException("the adaptive half rate must be a positive number of events per second, not "
                        + halfRatePerSecond);
            }
        }

        /** The number of events since the latest snapshot at which a stream with this recent rate is snapshotted. */
        public long threshold(double recentEventsPerSecond) {
            double rate = Double.isNaN(recentEventsPerSecond) ? 0 : Math.max(0, recentEventsPerSecond);
            long shrunk = Math.round(maxEvents / (1 + rate / halfRatePerSecond));
            return Math.clamp(shrunk, minEvents, maxEvents);
        }

        @Override
        public boolean shouldSnapshot(String category, long eventsSinceSnapshot, double recentEventsPerSecond) {
            return eventsSinceSnapshot >= threshold(recentEventsPerSecond);
        }
    }
}
