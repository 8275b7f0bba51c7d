package org.pgeventstore.adapters.postgres.feed;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the other instances that events were appended: {@code pg_notify(channel, '')} from one
 * thread on a connection of its own, after the appends committed (ADR 1: a NOTIFY inside the
 * append would take the notification queue's lock at every commit and serialise them).
 *
 * <p>{@link #appended()} only sets a flag, so an append never waits for a NOTIFY. The thread sends
 * one NOTIFY for every request that arrived since its last one, and at most one per
 * {@code minInterval}: a burst of appends costs a few notifications, not one each, and an append
 * alone is announced at once.
 */
public final class PostgresAppendNotifier implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresAppendNotifier.class);
    private static final String NOTIFY = "SELECT pg_notify(?, '')";
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final NotificationChannel channel;
    private final Duration minInterval;
    private final AtomicBoolean pending = new AtomicBoolean();
    private final AtomicLong sent = new AtomicLong();
    private final Thread thread;
    private volatile boolean closed;
    private Connection connection;
    private boolean failing;

    public PostgresAppendNotifier(NotificationChannel channel, Duration minInterval) {
        this.channel = channel;
        this.minInterval = minInterval;
        this.thread = Thread.ofPlatform().daemon().name("feed-notifier").start(this::run);
    }

    /** Events were appended and committed: announce them soon. Never blocks. */
    public void appended() {
        if (!pending.get() && pending.compareAndSet(false, true)) {
            LockSupport.unpark(thread);
        }
    }

    /** NOTIFYs sent so far. */
    public long sent() {
        return sent.get();
    }

    private void run() {
        Duration backoff = Duration.ofMillis(100);
        while (!closed) {
            if (!pending.getAndSet(false)) {
                LockSupport.park(this);
                continue;
            }
            if (send()) {
                backoff = Duration.ofMillis(100);
                pause(minInterval);
            } else {
                pending.set(true);
                pause(backoff);
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
        closeConnection();
    }

    private boolean send() {
        try {
            if (connection == null) {
                connection = channel.open("pg-eventstore-notifier");
                connection.setNetworkTimeout(Runnable::run, 10_000);
            }
            try (PreparedStatement notify = connection.prepareStatement(NOTIFY)) {
                notify.setString(1, channel.name());
                notify.execute();
            }
            sent.incrementAndGet();
            if (failing) {
                LOG.info("event=append_notifications_resumed channel={} effect=\"other instances are woken by appends "
                        + "here again\"", channel);
                failing = false;
            }
            return true;
        } catch (SQLException e) {
            closeConnection();
            if (!failing && !closed) {
                LOG.warn("event=append_notify_failed channel={} sqlState={} error=\"{}\" effect=\"readers in other "
                                + "instances see events appended here at their polling interval, not at once\" "
                                + "action=\"none if the database is restarting; this instance retries with backoff\"",
                        channel, e.getSQLState(), e.getMessage());
            }
            failing = true;
            return false;
        }
    }

    private void pause(Duration duration) {
        long deadline = System.nanoTime() + duration.toNanos();
        for (long left = duration.toNanos(); left > 0 && !closed; left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(this, left);
        }
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // The connection is being given up on; nothing else uses it.
            }
            connection = null;
        }
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
