package org.pgeventstore.application.replica;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.pgeventstore.application.aggregate.Sleeper;
import org.pgeventstore.application.eventstore.EventStoreUnavailable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides, read by read, whether the replica or the primary answers, and keeps what the latest
 * look at the replica found ({@link #probe()}, run periodically).
 *
 * <ul>
 *   <li>A read goes to the replica while it answers. One that fails there with
 *       {@link EventStoreUnavailable} is answered by the primary, and so is every read after it
 *       until a look finds the replica answering again: an outage costs one failed attempt, is
 *       logged once when it begins and once when it ends, and is never a 5xx of its own.</li>
 *   <li>A read that must reflect a position (read your writes) waits until the replica has it,
 *       at most {@code waitLimit}, then goes to the primary, which has every acknowledged write.</li>
 * </ul>
 */
public final class ReplicaRouting {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicaRouting.class);
    private static final Duration LONGEST_PAUSE = Duration.ofMillis(20);

    private final ReplicaStatus status;
    private final Duration waitLimit;
    private final Sleeper sleeper;
    private final Clock clock;
    private final ReplicaMetrics metrics;
    private final AtomicReference<ReplicaCondition> condition;

    public ReplicaRouting(ReplicaStatus status, Duration waitLimit, Sleeper sleeper, Clock clock, ReplicaMetrics metrics) {
        this.status = status;
        this.waitLimit = waitLimit;
        this.sleeper = sleeper;
        this.clock = clock;
        this.metrics = metrics;
        this.condition = new AtomicReference<>(ReplicaCondition.unknown(clock.instant()));
    }

    /** Looks at the replica: whether it answers, and how far it trails. */
    public ReplicaCondition probe() {
        ReplicaCondition now;
        try {
            now = ReplicaCondition.answered(status.lag(), clock.instant());
        } catch (EventStoreUnavailable e) {
            now = ReplicaCondition.unreachable(e.getMessage(), clock.instant());
        }
        record(now);
        return now;
    }

    /** The latest look at the replica. */
    public ReplicaCondition condition() {
        return condition.get();
    }

    /** How long a read that must reflect a position waits for the replica before it goes to the primary. */
    public Duration waitLimit() {
        return waitLimit;
    }

    /**
     * {@code read} on the replica, or on the primary when the replica is out of reach or, with
     * {@code minPosition} above 0, has not caught up within the wait limit.
     *
     * @param caughtUp  asks the replica whether it reflects {@code minPosition}
     */
    public <T, R> R read(T primary, T replica, long minPosition, BooleanSupplier caughtUp, Function<T, R> read) {
        if (!condition.get().reachable()) {
            metrics.fellBack(ReplicaMetrics.Fallback.UNREACHABLE);
            return read.apply(primary);
        }
        try {
            if (minPosition > 0 && !awaitCaughtUp(caughtUp)) {
                metrics.fellBack(ReplicaMetrics.Fallback.BEHIND);
                return read.apply(primary);
            }
            return read.apply(replica);
        } catch (EventStoreUnavailable e) {
            if (Thread.currentThread().isInterrupted()) {
                // The reader was stopped (an SSE client went away), which broke its connection:
                // nothing is wrong with the replica.
                throw e;
            }
            record(ReplicaCondition.unreachable(e.getMessage(), clock.instant()));
            metrics.fellBack(ReplicaMetrics.Fallback.UNREACHABLE);
            return read.apply(primary);
        }
    }

    /** Whether the replica reflects {@code minPosition} by its feed bound, waiting for it as {@link #read} does. */
    public BooleanSupplier hasReplayed(long minPosition) {
        return () -> status.visibleBound() > minPosition;
    }

    /** Asks again after pauses of 1, 2, 4 ... 20 ms until the pauses add up to the wait limit. */
    private boolean awaitCaughtUp(BooleanSupplier caughtUp) {
        if (caughtUp.getAsBoolean()) {
            return true;
        }
        Duration waited = Duration.ZERO;
        Duration pause = Duration.ofMillis(1);
        while (waited.compareTo(waitLimit) < 0) {
            Duration step = pause.compareTo(waitLimit.minus(waited)) < 0 ? pause : waitLimit.minus(waited);
            try {
                sleeper.sleep(step);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            waited = waited.plus(step);
            if (caughtUp.getAsBoolean()) {
                metrics.waited(true);
                return true;
            }
            pause = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause.multipliedBy(2);
        }
        metrics.waited(false);
        return false;
    }

    private void record(ReplicaCondition now) {
        ReplicaCondition before = condition.getAndSet(now);
        if (before.reachable() && !now.reachable()) {
            LOG.warn("event=replica_unreachable error=\"{}\" effect=\"reads go to the primary until the replica answers "
                            + "again\" action=\"check the standby server and eventstore.replica.url; the primary carries "
                            + "the read load meanwhile\"", now.error().orElse(""));
        } else if (!before.reachable() && now.reachable()) {
            LOG.info("event=replica_reachable effect=\"reads go to the replica again\"");
        }
    }
}
