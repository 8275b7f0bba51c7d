package org.pgeventstore.application.projection;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thread of a feed reader that must run in one instance at a time (a {@link ProjectionRunner},
 * a relay): it runs the reader's work on its own daemon thread only while it holds the
 * {@link ProjectionLease} of the reader's name, tries to take it every {@code takeoverInterval}
 * while another instance holds it, and tries again after the work failed on something passing
 * (the storage out of reach). Logs {@code event=<kind>_started}, {@code <kind>_lease_unavailable}
 * and {@code <kind>_interrupted}.
 */
public final class LeasedWorker {

    private static final Logger LOG = LoggerFactory.getLogger(LeasedWorker.class);

    /** What runs while the lease is held; it returns when the lease is lost or the worker stops. */
    @FunctionalInterface
    public interface Work {
        void runWhileHeld(ProjectionLease lease) throws InterruptedException;
    }

    private final String kind;
    private final String name;
    private final ProjectionLeases leases;
    private final Duration takeoverInterval;
    private final Supplier<String> startedAt;
    private final Work work;
    private volatile boolean running;
    private volatile boolean leaseHeld;
    private Thread thread;

    /**
     * @param kind the reader's kind, for the thread's name and the log keys, e.g. {@code projection}
     * @param name the reader's name and its lease's
     * @param startedAt what the started log line says of where the reader begins, e.g. {@code position=42}
     */
    public LeasedWorker(String kind, String name, ProjectionLeases leases, Duration takeoverInterval,
                        Supplier<String> startedAt, Work work) {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.name = Objects.requireNonNull(name, "name");
        this.leases = Objects.requireNonNull(leases, "leases");
        this.takeoverInterval = Objects.requireNonNull(takeoverInterval, "takeoverInterval");
        this.startedAt = Objects.requireNonNull(startedAt, "startedAt");
        this.work = Objects.requireNonNull(work, "work");
    }

    /** Starts the loop on a daemon thread named {@code <kind>-<name>}. */
    public synchronized void start() {
        if (thread != null) {
            return;
        }
        running = true;
        thread = Thread.ofPlatform().daemon().name(kind + "-" + name).start(this::loop);
    }

    /** Stops the loop, interrupting the work, and waits for it (30 s at most). */
    public synchronized void stop() {
        running = false;
        if (thread == null) {
            return;
        }
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread = null;
    }

    /** Whether the loop runs: the work goes on while this and its lease hold. */
    public boolean isRunning() {
        return running;
    }

    /** Whether the loop runs and holds the lease right now. */
    public boolean isActive() {
        return running && leaseHeld;
    }

    private void loop() {
        while (running) {
            Optional<ProjectionLease> lease;
            try {
                lease = leases.tryAcquire(name);
            } catch (RuntimeException unavailable) {
                LOG.warn("event={}_lease_unavailable {}={} error=\"{}\" action=retrying", kind, kind, name,
                        unavailable.getMessage());
                lease = Optional.empty();
            }
            if (lease.isEmpty()) {
                if (!pause(takeoverInterval)) {
                    return;
                }
                continue;
            }
            try (ProjectionLease held = lease.get()) {
                leaseHeld = true;
                LOG.info("event={}_started {}={} {}", kind, kind, name, startedAt.get());
                work.runWhileHeld(held);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warn("event={}_interrupted {}={} error=\"{}\" action=\"retrying in {}\"", kind, kind, name,
                        e.getMessage(), takeoverInterval);
                if (!pause(takeoverInterval)) {
                    return;
                }
            } finally {
                leaseHeld = false;
            }
        }
    }

    private boolean pause(Duration duration) {
        try {
            sleep(duration);
            return running;
        } catch (InterruptedException e) {
            return false;
        }
    }

    /** Waits without a signal to cut it short, e.g. a retry backoff. */
    public static void sleep(Duration duration) throws InterruptedException {
        TimeUnit.NANOSECONDS.sleep(duration.toNanos());
    }

    public static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
