package org.pgeventstore.application.feed;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.Optional;
import org.pgeventstore.application.eventstore.EventFilter;
import org.pgeventstore.application.eventstore.EventStore;
import org.pgeventstore.application.eventstore.FeedPage;
import org.pgeventstore.application.eventstore.RecordedEvent;

/**
 * One reader's way along the global feed, one event at a time, for a consumer that takes them at
 * its own pace (an event stream to a client): it reads a page only when the previous one is
 * consumed, so it holds at most one page, and when caught up it waits on the {@link AppendSignal}
 * without holding a database connection. After a signal that brought nothing visible yet (an
 * older transaction still holds the feed back) it looks again soon, then less and less often, at
 * most every {@code pollInterval}, which is also how it finds events when no signal comes.
 *
 * <p>Not thread-safe: one reader at a time.
 */
public final class FeedFollower {

    private static final Duration QUICK_POLL = Duration.ofMillis(2);

    private final EventStore store;
    private final AppendSignal signal;
    private final EventFilter filter;
    private final int pageSize;
    private final Duration pollInterval;
    private final ArrayDeque<RecordedEvent> page = new ArrayDeque<>();
    private long position;
    private Duration idleWait;
    private volatile boolean cancelled;

    public FeedFollower(EventStore store, AppendSignal signal, long after, EventFilter filter, int pageSize,
                        Duration pollInterval) {
        this.store = Objects.requireNonNull(store, "store");
        this.signal = Objects.requireNonNull(signal, "signal");
        this.filter = Objects.requireNonNull(filter, "filter");
        if (pageSize < 1) {
            throw new IllegalArgumentException("pageSize must be 1 or more, was " + pageSize);
        }
        this.pageSize = pageSize;
        this.pollInterval = pollInterval;
        this.position = after;
        this.idleWait = pollInterval;
    }

    /**
     * The next event of the feed after the last one returned, waiting up to {@code maxWait} for one.
     *
     * @return the event, or empty when none became visible within {@code maxWait}
     */
    public Optional<RecordedEvent> next(Duration maxWait) throws InterruptedException {
        long deadline = System.nanoTime() + maxWait.toNanos();
        while (page.isEmpty()) {
            if (cancelled) {
                return Optional.empty();
            }
            long seen = signal.generation();
            FeedPage read = store.readAll(position, pageSize, filter);
            if (!read.events().isEmpty()) {
                page.addAll(read.events());
                idleWait = QUICK_POLL;
                break;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return Optional.empty();
            }
            Duration wait = Duration.ofNanos(Math.min(left, idleWait.toNanos()));
            if (signal.await(seen, wait)) {
                idleWait = QUICK_POLL;
            } else {
                idleWait = idleWait.multipliedBy(2).compareTo(pollInterval) > 0 ? pollInterval : idleWait.multipliedBy(2);
            }
        }
        RecordedEvent event = page.poll();
        position = event.position();
        return Optional.of(event);
    }

    /**
     * Stops waiting: a {@link #next} waiting now, and every later one that finds no event already
     * read, returns empty at once. Safe from any thread.
     */
    public void cancel() {
        cancelled = true;
        signal.signal();
    }

    /** The position of the last event returned (or the starting point). */
    public long position() {
        return position;
    }
}
