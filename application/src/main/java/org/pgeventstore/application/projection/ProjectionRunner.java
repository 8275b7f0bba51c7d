package org.pgeventstore.application.projection;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicLong;
import org.pgeventstore.application.eventstore.EventFilter;
import org.pgeventstore.application.eventstore.EventStore;
import org.pgeventstore.application.eventstore.FeedPage;
import org.pgeventstore.application.eventstore.RecordedEvent;
import org.pgeventstore.application.feed.AppendSignal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one projection up to date from the global feed: reads a batch after the checkpoint, hands
 * it to the {@link ProjectionStore}, which applies it and moves the checkpoint in one step, and
 * repeats. When the feed has nothing new it waits for a {@link AppendSignal} or, at most,
 * {@link ProjectionSettings#pollInterval()}; after a signal it polls again quickly, because the
 * feed withholds an event until every older transaction has ended.
 *
 * <p><b>One runner per projection.</b> {@link #start()} runs the loop on its own thread, and only
 * while it holds the projection's {@link ProjectionLease}; without it, the runner tries again every
 * {@link ProjectionSettings#takeoverInterval()} and takes over when the holder dies.
 *
 * <p><b>Failures.</b> When the handler throws, the events before the failing one are applied and
 * the failing one is retried alone with exponential backoff, up to
 * {@link ProjectionSettings#maxAttempts()} tries in all. Then, by {@link FailurePolicy}, the event's
 * stream is parked there and the projection moves on with the other streams (the stream's later
 * events wait behind it without being tried, see {@link ParkedStreams}), or the projection stops
 * there with status failed (until {@link ProjectionStore#resume()}). An event is never skipped
 * silently. The storage being out of reach is not an event failure: the runner waits and tries again.
 *
 * <p><b>Reading ahead.</b> When a batch is full, the feed is read past it on a virtual thread
 * while the batch is applied, so that catching up does not wait for the database twice per
 * batch. The page read ahead is used only by the very next step and only if the checkpoint
 * stands where the page was read from: the feed after a position never changes once read
 * (events are never deleted, and the feed withholds an event until every older transaction has
 * ended), so a page read a moment early is as true as one read now.
 *
 * <p>{@link #catchUp()} runs the same steps on the caller's thread until the feed has nothing
 * more, without a lease: for rebuilds, tests and benchmarks.
 */
public final class ProjectionRunner {

    private static final Logger LOG = LoggerFactory.getLogger(ProjectionRunner.class);
    private static final Duration QUICK_POLL = Duration.ofMillis(2);

    private enum Step { APPLIED, IDLE, HALTED }

    private final ProjectionStore store;
    private final EventStore feed;
    private final EventFilter filter;
    private final ProjectionSettings settings;
    private final AppendSignal signal;
    private final AtomicLong appliedEvents = new AtomicLong();
    private final AtomicLong alreadyApplied = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong parkedEvents = new AtomicLong();
    private final AtomicLong checkpointMoves = new AtomicLong();
    private final AtomicLong lastPosition = new AtomicLong(-1);
    private final LeasedWorker worker;
    /** The page being read past the batch being applied; touched only by the thread running the steps. */
    private ReadAhead readAhead;

    /**
     * @param store the read model and checkpoint to keep
     * @param feed the event store to read the global feed from (give it its own connection pool in production)
     * @param filter which events of the feed the projection reads, e.g. {@code EventFilter.category("order")}
     */
    public ProjectionRunner(ProjectionStore store, EventStore feed, EventFilter filter, ProjectionSettings settings,
                            ProjectionLeases leases, AppendSignal signal) {
        this.store = Objects.requireNonNull(store, "store");
        this.feed = Objects.requireNonNull(feed, "feed");
        this.filter = Objects.requireNonNull(filter, "filter");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.signal = Objects.requireNonNull(signal, "signal");
        this.worker = new LeasedWorker("projection", store.name(), leases, settings.takeoverInterval(),
                () -> "position=" + store.state().position(), this::runWhileHeld);
    }

    public String name() {
        return store.name();
    }

    /** Starts the loop on a daemon thread named {@code projection-<name>}. */
    public void start() {
        worker.start();
    }

    /** Stops the loop and waits for it: a batch being applied either commits or rolls back whole. */
    public void stop() {
        worker.stop();
    }

    /** Whether this runner holds the lease and is running the projection right now. */
    public boolean isActive() {
        return worker.isActive();
    }

    /**
     * Applies batches on the caller's thread until a read of the feed comes back empty or the
     * projection is failed or paused.
     *
     * @return the number of events applied
     */
    public long catchUp() {
        long before = appliedEvents.get();
        try {
            while (step() == Step.APPLIED) {
                // next batch
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return appliedEvents.get() - before;
    }

    /** Events applied to the read model by this runner since it was created. */
    public long appliedEvents() {
        return appliedEvents.get();
    }

    /**
     * Events this runner found already applied (their version was not the row's version + 1).
     * Zero unless a checkpoint was moved back by hand: the checkpoint guard sees to that.
     */
    public long alreadyAppliedEvents() {
        return alreadyApplied.get();
    }

    /** Events this runner gave up on after every retry (stopped at or parked). */
    public long failures() {
        return failures.get();
    }

    /** Events this runner parked: the ones it gave up on and the ones it found behind them. */
    public long parkedEvents() {
        return parkedEvents.get();
    }

    /**
     * Batches this runner read and found refused because the checkpoint had moved in between: zero
     * unless another runner ran the same projection at the same time (a lease lost late).
     */
    public long checkpointMoves() {
        return checkpointMoves.get();
    }

    /** The checkpoint as this runner last saw it, or -1 before its first read. */
    public long lastKnownPosition() {
        return lastPosition.get();
    }

    private void runWhileHeld(ProjectionLease lease) throws InterruptedException {
        Duration idleWait = settings.pollInterval();
        while (worker.isRunning() && lease.isHeld()) {
            long seen = signal.generation();
            Step step;
            try {
                step = step();
            } catch (CheckpointMoved moved) {
                checkpointMoves.incrementAndGet();
                LOG.warn("event=projection_checkpoint_moved projection={} detail=\"{}\" action=\"reading the checkpoint again\"",
                        name(), moved.getMessage());
                continue;
            }
            if (step == Step.APPLIED) {
                idleWait = QUICK_POLL;
                continue;
            }
            if (signal.await(seen, step == Step.HALTED ? settings.pollInterval() : idleWait)) {
                // An append committed; its event may be withheld a few ms behind an older transaction.
                idleWait = QUICK_POLL;
            } else {
                idleWait = LeasedWorker.min(idleWait.multipliedBy(2), settings.pollInterval());
            }
        }
    }

    private Step step() throws InterruptedException {
        ProjectionState state = store.state();
        lastPosition.set(state.position());
        if (state.status() == ProjectionStatus.FAILED || state.status() == ProjectionStatus.PAUSED) {
            return Step.HALTED;
        }
        FeedPage page = read(state.position());
        if (page.events().isEmpty()) {
            return Step.IDLE;
        }
        if (page.events().size() >= settings.batchSize()) {
            readAhead = ReadAhead.start(name(), page.next(), () -> feed.readAll(page.next(), settings.batchSize(), filter));
        }
        applyPage(state.position(), page.events(), page.next());
        return Step.APPLIED;
    }

    /** The page after {@code after}: the one read ahead when it was read from there, else read now. */
    private FeedPage read(long after) throws InterruptedException {
        ReadAhead ahead = readAhead;
        readAhead = null;
        if (ahead != null && ahead.after() == after) {
            return ahead.page();
        }
        return feed.readAll(after, settings.batchSize(), filter);
    }

    /** A read of the feed after {@code after} running on its own virtual thread. */
    private record ReadAhead(long after, FutureTask<FeedPage> task) {

        static ReadAhead start(String projection, long after, Callable<FeedPage> read) {
            FutureTask<FeedPage> task = new FutureTask<>(read);
            Thread.ofVirtual().name("projection-read-ahead-" + projection).start(task);
            return new ReadAhead(after, task);
        }

        /** The page, or the read's own failure as the read would have thrown it. */
        FeedPage page() throws InterruptedException {
            try {
                return task.get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException failure) {
                    throw failure;
                }
                if (e.getCause() instanceof Error error) {
                    throw error;
                }
                throw new IllegalStateException("reading the feed ahead failed", e.getCause());
            }
        }
    }

    private void applyPage(long expected, List<RecordedEvent> events, long next) throws InterruptedException {
        try {
            record(store.apply(expected, events, next), next);
        } catch (ProjectionEventFailed failed) {
            int index = indexOf(events, failed.event());
            long position = expected;
            if (index > 0) {
                position = events.get(index - 1).position();
                record(store.apply(expected, events.subList(0, index), position), position);
            }
            retryAlone(position, failed);
        }
    }

    private void retryAlone(long expected, ProjectionEventFailed firstFailure) throws InterruptedException {
        RecordedEvent event = firstFailure.event();
        ProjectionEventFailed last = firstFailure;
        Duration delay = settings.retryInitialDelay();
        for (int attempt = 2; attempt <= settings.maxAttempts(); attempt++) {
            LOG.warn("event=projection_event_retry projection={} position={} stream={} version={} type={} attempt={} "
                            + "of={} delayMs={} error=\"{}\"", name(), event.position(), event.streamId(), event.version(),
                    event.type(), attempt, settings.maxAttempts(), delay.toMillis(), last.getCause().getMessage());
            LeasedWorker.sleep(delay);
            delay = LeasedWorker.min(delay.multipliedBy(2), settings.retryMaxDelay());
            try {
                record(store.apply(expected, List.of(event), event.position()), event.position());
                return;
            } catch (ProjectionEventFailed again) {
                last = again;
            }
        }
        failures.incrementAndGet();
        String error = last.error();
        switch (settings.failurePolicy()) {
            case PARK -> {
                store.park(expected, event, error);
                parkedEvents.incrementAndGet();
                lastPosition.set(event.position());
                String parked = "/api/projections/" + store.projection() + "/parked/" + event.streamId();
                LOG.error("event=projection_stream_parked projection={} stream={} position={} version={} type={} "
                                + "attempts={} error=\"{}\" hint=\"the stream's later events wait behind this one, every "
                                + "other stream goes on; fix the cause and POST {}/resume, or skip the event for good "
                                + "with POST {}/skip\"", name(), event.streamId(), event.position(), event.version(),
                        event.type(), settings.maxAttempts(), error, parked, parked);
            }
            case STOP -> {
                store.markFailed(expected, event, error);
                LOG.error("event=projection_failed projection={} position={} stream={} version={} type={} attempts={} "
                                + "error=\"{}\" hint=\"the projection stopped at this event; fix the cause, then POST "
                                + "/api/projections/{}/resume\"", name(), event.position(), event.streamId(),
                        event.version(), event.type(), settings.maxAttempts(), error, store.projection());
            }
        }
    }

    private void record(ProjectionStore.ApplyResult result, long position) {
        appliedEvents.addAndGet(result.applied());
        alreadyApplied.addAndGet(result.alreadyApplied());
        parkedEvents.addAndGet(result.parked());
        lastPosition.set(position);
        if (result.alreadyApplied() > 0) {
            LOG.warn("event=projection_events_already_applied projection={} count={} position={} "
                    + "hint=\"the checkpoint was behind the read model; the version guard skipped them\"",
                    name(), result.alreadyApplied(), position);
        }
    }

    private static int indexOf(List<RecordedEvent> events, RecordedEvent event) {
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).position() == event.position()) {
                return i;
            }
        }
        throw new IllegalStateException("the failing event at position " + event.position() + " is not in the batch");
    }
}
