package org.pgeventstore.application.relay;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.pgeventstore.application.eventstore.EventFilter;
import org.pgeventstore.application.eventstore.EventStore;
import org.pgeventstore.application.eventstore.FeedPage;
import org.pgeventstore.application.feed.AppendSignal;
import org.pgeventstore.application.feed.FeedBacklog;
import org.pgeventstore.application.projection.CheckpointMoved;
import org.pgeventstore.application.projection.LeasedWorker;
import org.pgeventstore.application.projection.ProjectionLease;
import org.pgeventstore.application.projection.ProjectionLeases;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes every event of the global feed, in feed order, to an {@link EventPublisher}: a
 * projection whose side effect is a publish. It reads a batch after its {@link RelayCheckpoint},
 * publishes it, waits until the broker acknowledged every message, and only then moves the
 * checkpoint past the batch. A crash at any point leaves the checkpoint before every message not
 * known to be stored, so the relay that takes over publishes that tail again, and the broker drops
 * what it already holds by message id: at least once on the wire, once in the broker's stream.
 *
 * <p><b>One relay at a time.</b> {@link #start()} runs the loop on its own thread while it holds
 * the lease named after the checkpoint (the projections' {@link ProjectionLeases}); without it,
 * it tries again every {@link RelaySettings#takeoverInterval()}. As with projections the lease only
 * saves work: two relays that overlap publish the same messages, which the broker de-duplicates,
 * and their checkpoint moves are compare-and-set ({@link CheckpointMoved}).
 *
 * <p><b>Broker out of reach.</b> A batch not acknowledged whole is sent again from the checkpoint
 * after a backoff that doubles up to {@link RelaySettings#retryMaxDelay()}. The outage is logged
 * once when it starts and once when it ends; the API never waits for the broker, and the lag
 * ({@link #status()}) grows until the relay catches up.
 *
 * <p>{@link #catchUp()} runs the same steps on the caller's thread without a lease, for tests and
 * benchmarks.
 */
public final class EventRelay implements RelayMonitor {

    private static final Logger LOG = LoggerFactory.getLogger(EventRelay.class);
    private static final Duration QUICK_POLL = Duration.ofMillis(2);

    private final RelayCheckpoint checkpoint;
    private final EventStore feed;
    private final EventPublisher publisher;
    private final RelayMessages messages;
    private final RelaySettings settings;
    private final AppendSignal signal;
    private final FeedBacklog backlog;
    private final String target;
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong failedBatches = new AtomicLong();
    private final AtomicLong lastPosition = new AtomicLong(-1);
    private final LeasedWorker worker;
    private volatile String outage;
    private long outageStartedNanos;

    /**
     * @param feed the event store to read the global feed from (its own connection pool in production)
     * @param backlog counts the feed's events after the checkpoint, for the lag
     * @param target where the publisher publishes, for logs and {@link #status()}
     */
    public EventRelay(RelayCheckpoint checkpoint, EventStore feed, EventPublisher publisher, RelayMessages messages,
                      RelaySettings settings, ProjectionLeases leases, AppendSignal signal, FeedBacklog backlog,
                      String target) {
        this.checkpoint = Objects.requireNonNull(checkpoint, "checkpoint");
        this.feed = Objects.requireNonNull(feed, "feed");
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.messages = Objects.requireNonNull(messages, "messages");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.signal = Objects.requireNonNull(signal, "signal");
        this.backlog = Objects.requireNonNull(backlog, "backlog");
        this.target = Objects.requireNonNull(target, "target");
        this.worker = new LeasedWorker("relay", checkpoint.name(), leases, settings.takeoverInterval(),
                () -> "target=\"" + target + "\" position=" + checkpoint.position(), this::runWhileHeld);
    }

    public String name() {
        return checkpoint.name();
    }

    /** Starts the loop on a daemon thread named {@code relay-<name>}. */
    public void start() {
        worker.start();
    }

    /** Stops the loop and waits for it; a batch being published is abandoned before its checkpoint moves. */
    public void stop() {
        worker.stop();
    }

    /** Whether this relay holds the lease and relays right now. */
    public boolean isActive() {
        return worker.isActive();
    }

    /**
     * Publishes batches on the caller's thread until a read of the feed comes back empty.
     *
     * @return the events published (duplicates included)
     * @throws PublishFailed when a batch is not acknowledged; the checkpoint stays before it
     */
    public long catchUp() {
        long before = published.get();
        while (step()) {
            // next batch
        }
        return published.get() - before;
    }

    /** Events this relay had acknowledged since it was created, duplicates included. */
    public long publishedEvents() {
        return published.get();
    }

    /** Of those, the ones the broker already held. */
    public long duplicateEvents() {
        return duplicates.get();
    }

    /** Batches not acknowledged whole. */
    public long failedBatches() {
        return failedBatches.get();
    }

    /** Events of the feed after the checkpoint, capped at {@link FeedBacklog#COUNT_CAP}. */
    public long lagEvents() {
        return backlog.eventsAfter(checkpoint.position(), EventFilter.ALL);
    }

    /** False while the broker does not acknowledge what this relay sends. */
    public boolean brokerReachable() {
        return outage == null;
    }

    @Override
    public Optional<RelayStatus> status() {
        long position;
        long lag;
        try {
            position = checkpoint.position();
            lag = backlog.eventsAfter(position, EventFilter.ALL);
        } catch (RuntimeException databaseUnavailable) {
            position = lastPosition.get();
            lag = -1;
        }
        return Optional.of(new RelayStatus(name(), target, isActive(), brokerReachable(), position, lag,
                published.get(), duplicates.get(), failedBatches.get(), Optional.ofNullable(outage)));
    }

    /** Reads and publishes one batch; false when the feed had nothing after the checkpoint. */
    private boolean step() {
        long from = checkpoint.position();
        lastPosition.set(from);
        FeedPage page = feed.readAll(from, settings.batchSize(), EventFilter.ALL);
        if (page.events().isEmpty()) {
            return false;
        }
        List<RelayMessage> batch = page.events().stream().map(messages::of).toList();
        int alreadyStored;
        try {
            alreadyStored = publisher.publish(batch);
        } catch (PublishFailed failed) {
            failedBatches.incrementAndGet();
            throw failed;
        }
        checkpoint.moveTo(from, page.next());
        lastPosition.set(page.next());
        published.addAndGet(batch.size());
        duplicates.addAndGet(alreadyStored);
        return true;
    }

    private void runWhileHeld(ProjectionLease lease) throws InterruptedException {
        Duration idleWait = settings.pollInterval();
        Duration backoff = settings.retryInitialDelay();
        while (worker.isRunning() && lease.isHeld()) {
            long seen = signal.generation();
            boolean published;
            try {
                published = step();
            } catch (PublishFailed failed) {
                outageBegins(failed);
                LeasedWorker.sleep(backoff);
                backoff = LeasedWorker.min(backoff.multipliedBy(2), settings.retryMaxDelay());
                continue;
            } catch (CheckpointMoved moved) {
                LOG.warn("event=relay_checkpoint_moved relay={} detail=\"{}\" action=\"reading the checkpoint again\"",
                        name(), moved.getMessage());
                continue;
            }
            if (published) {
                outageEnds();
                backoff = settings.retryInitialDelay();
                idleWait = QUICK_POLL;
                continue;
            }
            if (signal.await(seen, idleWait)) {
                // An append committed; its event may be withheld a few ms behind an older transaction.
                idleWait = QUICK_POLL;
            } else {
                idleWait = LeasedWorker.min(idleWait.multipliedBy(2), settings.pollInterval());
            }
        }
    }

    private void outageBegins(PublishFailed failed) {
        if (outage == null) {
            outageStartedNanos = System.nanoTime();
            LOG.warn("event=relay_publish_failed relay={} target=\"{}\" position={} error=\"{}\" action=\"retrying "
                            + "from the checkpoint with a backoff up to {}; the API goes on, events wait in PostgreSQL\" "
                            + "hint=\"check that the NATS server is up and reachable with JetStream enabled, and that the "
                            + "stream has room; relay.lag.events shows how far behind it is\"", name(), target,
                    checkpoint.position(), failed.getMessage(), settings.retryMaxDelay());
        }
        outage = failed.getMessage();
    }

    private void outageEnds() {
        if (outage != null) {
            outage = null;
            LOG.info("event=relay_publish_recovered relay={} target=\"{}\" outageSeconds={} failedBatches={} "
                    + "action=\"catching up from the checkpoint\"", name(), target,
                    TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - outageStartedNanos), failedBatches.get());
        }
    }
}
