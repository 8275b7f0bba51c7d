package org.pgeventstore.application.snapshot;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.pgeventstore.application.eventstore.EventStore;
import org.pgeventstore.application.eventstore.RecordedEvent;
import org.pgeventstore.application.eventstore.StreamSlice;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes snapshots off the caller's thread. {@link #offer} asks the {@link SnapshotPolicy} and,
 * when it says yes, queues the offer for one background thread that encodes the state, stores
 * it and prunes the stream's older snapshots. Offering never blocks and never throws: when the
 * queue is full the offer is dropped, counted and logged (at most one line per
 * {@value #DROP_LOG_INTERVAL_SECONDS} seconds), and a failing store is counted and logged on the
 * background thread. A snapshot is a cache, so a dropped one only means a longer load until the
 * next offer, which the policy makes as soon as the stream is loaded again.
 *
 * <p>At most one snapshot per stream is queued or being written at a time; offers for a stream
 * already in the queue are skipped.
 */
public final class SnapshotWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotWriter.class);
    private static final long DROP_LOG_INTERVAL_SECONDS = 10;
    private static final int TIMES_PAGE = 1_000;

    private final EventStore events;
    private final SnapshotStore store;
    private final SnapshotPolicy policy;
    private final SnapshotMetrics metrics;
    private final Clock clock;
    private final int keepPerStream;
    private final ThreadPoolExecutor executor;
    /** Streams with a snapshot queued or being written; empty when the writer is idle. */
    private final Set<String> queuedStreams = ConcurrentHashMap.newKeySet();
    private final AtomicLong droppedSinceLog = new AtomicLong();
    private final AtomicLong lastDropLog = new AtomicLong(Long.MIN_VALUE);

    /**
     * @param events where the writer reads the times of events the offer did not read
     * @param queueCapacity offers waiting to be written (1 or more); more are dropped
     * @param keepPerStream snapshots kept per stream after each write (1 or more)
     */
    public SnapshotWriter(EventStore events, SnapshotStore store, SnapshotPolicy policy, SnapshotMetrics metrics,
                          Clock clock, int queueCapacity, int keepPerStream) {
        this.events = Objects.requireNonNull(events, "events");
        this.store = Objects.requireNonNull(store, "store");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (queueCapacity < 1 || keepPerStream < 1) {
            throw new IllegalArgumentException("the snapshot queue capacity and the snapshots kept per stream must be "
                    + "1 or more, not " + queueCapacity + " and " + keepPerStream);
        }
        this.keepPerStream = keepPerStream;
        this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(queueCapacity),
                task -> {
                    Thread thread = new Thread(task, "snapshot-writer");
                    thread.setDaemon(true);
                    return thread;
                });
        metrics.watchQueue(() -> executor.getQueue().size());
    }

    SnapshotStore store() {
        return store;
    }

    SnapshotMetrics metrics() {
        return metrics;
    }

    Clock clock() {
        return clock;
    }

    /**
     * Queues a snapshot of the offered state if the policy wants one and the queue has room.
     *
     * @return whether it was queued
     */
    public boolean offer(SnapshotOffer offer) {
        String category = offer.stream().category();
        if (!policy.shouldSnapshot(category, offer.eventsSinceSnapshot(), offer.recentEventsPerSecond())) {
            return false;
        }
        String stream = offer.stream().value();
        if (!queuedStreams.add(stream)) {
            return false;
        }
        try {
            executor.execute(() -> write(offer));
            return true;
        } catch (RejectedExecutionException full) {
            queuedStreams.remove(stream);
            metrics.failed(category, "dropped");
            logDrop(offer, executor.isShutdown() ? "shut_down" : "queue_full");
            return false;
        }
    }

    private void write(SnapshotOffer offer) {
        try {
            if (store(offer)) {
                prune(offer);
            }
        } finally {
            queuedStreams.remove(offer.stream().value());
        }
    }

    /** Whether a new snapshot was stored. */
    private boolean store(SnapshotOffer offer) {
        String category = offer.stream().category();
        try {
            Snapshot snapshot = new Snapshot(offer.stream(), offer.version(), offer.position(), latestEventTime(offer),
                    clock.instant(), offer.schemaVersion(), offer.state().get());
            boolean stored = store.save(snapshot);
            if (stored) {
                metrics.written(category);
            }
            return stored;
        } catch (RuntimeException failure) {
            metrics.failed(category, "write");
            LOG.warn("event=snapshot_write_failed stream={} version={} error=\"{}\"",
                    offer.stream(), offer.version(), failure.toString());
            return false;
        }
    }

    private void prune(SnapshotOffer offer) {
        try {
            store.prune(offer.stream(), keepPerStream);
        } catch (RuntimeException failure) {
            metrics.failed(offer.stream().category(), "prune");
            LOG.warn("event=snapshot_prune_failed stream={} error=\"{}\"", offer.stream(), failure.toString());
        }
    }

    /**
     * The latest time among events 1 to the offer's version: the offer's, raised by the times of
     * the events it did not read (a command's own, whose times the store chose). Reading them
     * also checks that the offered position is the one of the offered version.
     */
    private Instant latestEventTime(SnapshotOffer offer) {
        Instant latest = offer.latestEventTime();
        long next = offer.timedUpTo() + 1;
        while (next <= offer.version()) {
            StreamSlice slice = events.read(offer.stream(), next, (int) Math.min(TIMES_PAGE, offer.version() - next + 1));
            if (slice.events().isEmpty()) {
                throw new IllegalStateException("stream " + offer.stream() + " has no event at version " + next
                        + " although a snapshot at version " + offer.version() + " was offered");
            }
            for (RecordedEvent event : slice.events()) {
                if (event.version() != next) {
                    throw new IllegalStateException("reading stream " + offer.stream() + " returned version "
                            + event.version() + " where " + next + " was due");
                }
                if (event.version() == offer.version() && event.position() != offer.position()) {
                    throw new IllegalStateException("event " + offer.version() + " of stream " + offer.stream()
                            + " is at position " + event.position() + ", not at the offered " + offer.position());
                }
                latest = latest == null || event.occurredAt().isAfter(latest) ? event.occurredAt() : latest;
                next++;
            }
        }
        return latest;
    }

    private void logDrop(SnapshotOffer offer, String reason) {
        long dropped = droppedSinceLog.incrementAndGet();
        long now = System.nanoTime();
        long last = lastDropLog.get();
        if ((last == Long.MIN_VALUE || now - last >= TimeUnit.SECONDS.toNanos(DROP_LOG_INTERVAL_SECONDS))
                && lastDropLog.compareAndSet(last, now)) {
            droppedSinceLog.addAndGet(-dropped);
            LOG.warn("event=snapshot_dropped stream={} version={} reason={} dropped={} queue_capacity={}", offer.stream(),
                    offer.version(), reason, dropped, executor.getQueue().remainingCapacity() + executor.getQueue().size());
        }
    }

    /** Waits until every queued snapshot has been written or has failed; for tests and benchmarks. */
    public boolean awaitIdle(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!queuedStreams.isEmpty()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        return true;
    }

    /** Stops taking offers and waits briefly for the snapshot being written; the queued rest is dropped. */
    @Override
    public void close() {
        executor.shutdown();
        executor.getQueue().clear();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException interrupted) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        } finally {
            queuedStreams.clear();
        }
    }
}
