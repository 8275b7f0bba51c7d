package org.pgeventstore.adapters.postgres.feed;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens on the notification channel on one connection of its own and runs {@code woken} for
 * every batch of notifications (from any instance, this one included: harmless), so that readers
 * waiting on the feed look again at once.
 *
 * <p>After {@code LISTEN} it sends itself a probe from another connection and waits for it: behind
 * a transaction-pooling proxy the listening session is not this connection's for long, the probe
 * never arrives, and the instance runs on polling alone, saying so once. When the connection
 * drops (a database restart, a terminated backend) it says so once, retries with backoff, and
 * runs {@code woken} once after reconnecting, since notifications may have been missed.
 */
public final class PostgresAppendListener implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresAppendListener.class);
    private static final int RECEIVE_WAIT_MILLIS = 250;
    private static final Duration HEALTH_CHECK_AFTER = Duration.ofSeconds(10);
    private static final Duration PROBE_WAIT = Duration.ofSeconds(2);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
    private static final String PROBE_PREFIX = "probe:";

    private final NotificationChannel channel;
    private final Runnable woken;
    private final AtomicLong received = new AtomicLong();
    private final Thread thread;
    private volatile boolean closed;
    private volatile boolean connected;
    private volatile int backendPid;
    private boolean lost;

    public PostgresAppendListener(NotificationChannel channel, Runnable woken) {
        this.channel = channel;
        this.woken = woken;
        this.thread = Thread.ofPlatform().daemon().name("feed-listener").start(this::run);
    }

    /** Notifications received so far, probes included. */
    public long received() {
        return received.get();
    }

    /** Whether the listening connection is up and known to receive notifications. */
    public boolean connected() {
        return connected;
    }

    /** The server process of the listening connection, 0 while there is none. */
    public int backendPid() {
        return backendPid;
    }

    private void run() {
        Duration backoff = FIRST_BACKOFF;
        while (!closed) {
            try (Connection connection = channel.open("pg-eventstore-listener")) {
                PGConnection listening = connection.unwrap(PGConnection.class);
                listen(connection, listening);
                backoff = FIRST_BACKOFF;
                receive(connection, listening);
            } catch (SQLException | NotificationsUnavailable e) {
                disconnected(e, backoff);
                pause(backoff);
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
        connected = false;
        backendPid = 0;
    }

    private void listen(Connection connection, PGConnection listening) throws SQLException, NotificationsUnavailable {
        try (Statement statement = connection.createStatement()) {
            statement.execute("LISTEN \"" + channel.name() + "\"");
        }
        String probe = PROBE_PREFIX + UUID.randomUUID();
        try (Connection sender = channel.open("pg-eventstore-listener-probe");
             PreparedStatement notify = sender.prepareStatement("SELECT pg_notify(?, ?)")) {
            notify.setString(1, channel.name());
            notify.setString(2, probe);
            notify.execute();
        }
        long deadline = System.nanoTime() + PROBE_WAIT.toNanos();
        while (!take(listening.getNotifications(RECEIVE_WAIT_MILLIS), probe)) {
            if (System.nanoTime() > deadline || closed) {
                throw new NotificationsUnavailable();
            }
        }
        backendPid = listening.getBackendPID();
        connected = true;
        if (lost) {
            LOG.info("event=append_listener_reconnected channel={} backendPid={} effect=\"appends in every instance wake "
                    + "this instance's readers again\"", channel, backendPid);
            lost = false;
        }
        // Whatever was appended while nobody listened: readers look once.
        woken.run();
    }

    private void receive(Connection connection, PGConnection listening) throws SQLException {
        long quietSince = System.nanoTime();
        while (!closed) {
            if (take(listening.getNotifications(RECEIVE_WAIT_MILLIS), null)) {
                quietSince = System.nanoTime();
            } else if (System.nanoTime() - quietSince > HEALTH_CHECK_AFTER.toNanos()) {
                // A connection that died silently (a network cut) raises nothing while it waits.
                if (!connection.isValid(5)) {
                    throw new SQLException("the listening connection no longer answers", "08006");
                }
                quietSince = System.nanoTime();
            }
        }
    }

    /** Counts {@code notifications}, wakes the readers if there are any; whether {@code probe} was among them. */
    private boolean take(PGNotification[] notifications, String probe) {
        if (notifications == null || notifications.length == 0) {
            return false;
        }
        received.addAndGet(notifications.length);
        woken.run();
        boolean found = false;
        for (PGNotification notification : notifications) {
            found |= probe != null && probe.equals(notification.getParameter());
        }
        return probe == null || found;
    }

    private void disconnected(Exception cause, Duration retryIn) {
        boolean wasConnected = connected;
        connected = false;
        backendPid = 0;
        if (lost || closed) {
            return;
        }
        lost = true;
        if (cause instanceof NotificationsUnavailable) {
            LOG.warn("event=append_notifications_unavailable channel={} reason=\"a probe notification did not arrive on "
                    + "the listening connection within {} ms; a transaction-pooling proxy (PgBouncer pool_mode=transaction) "
                    + "between the service and PostgreSQL does this\" effect=\"readers in this instance see events appended "
                    + "by other instances only at their polling interval\" action=\"connect the service directly or "
                    + "through session pooling, or set eventstore.feed.notifications.enabled=false to silence this; "
                    + "retrying with backoff\"", channel, PROBE_WAIT.toMillis());
            return;
        }
        SQLException failure = (SQLException) cause;
        LOG.warn("event=append_listener_lost channel={} wasConnected={} sqlState={} error=\"{}\" effect=\"readers in this "
                        + "instance see events appended by other instances only at their polling interval until it "
                        + "reconnects\" action=\"none if the database is restarting; retrying from {} ms with backoff up "
                        + "to {} s\"", channel, wasConnected, failure.getSQLState(), failure.getMessage(), retryIn.toMillis(),
                MAX_BACKOFF.toSeconds());
    }

    private void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** LISTEN was accepted, but the probe never came back. */
    private static final class NotificationsUnavailable extends Exception {
        NotificationsUnavailable() {
            super("a probe notification did not arrive on the listening connection", null, false, false);
        }
    }
}
