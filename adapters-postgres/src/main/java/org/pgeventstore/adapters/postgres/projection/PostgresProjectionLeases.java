package org.pgeventstore.adapters.postgres.projection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.pgeventstore.adapters.postgres.PostgresFailures;
import org.pgeventstore.application.projection.ProjectionLease;
import org.pgeventstore.application.projection.ProjectionLeases;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Projection leases as PostgreSQL session advisory locks, one per projection name, each held on a
 * connection of its own for as long as the runner runs.
 *
 * <p><b>Bounded after a lost holder.</b> A session lock lasts as long as its session, and a server
 * keeps a session whose client went silent (frozen, cut off by the network, powered off) until
 * TCP gives up, hours by default. So each lease session is told to end itself after
 * {@code timeout} without a word from its holder ({@code idle_session_timeout}, PostgreSQL 14 and
 * newer), with TCP keepalives and {@code tcp_user_timeout} of the same order for a peer that is
 * gone; the holder speaks every quarter of {@code timeout} (a heartbeat thread, so a long batch or
 * rebuild never lets the lease lapse). A standby thus takes over within {@code timeout} plus its
 * takeover interval, and a holder that wakes up finds its lease lost at its next heartbeat.
 *
 * <p><b>Sessions must be the client's own.</b> Behind a transaction-pooling proxy (PgBouncer's
 * {@code pool_mode = transaction}) two statements of one client connection may run in two server
 * sessions, and two clients in one, so session locks exclude nobody.
 * {@link #requireOwnSessions()} finds that out and refuses; every lease also checks, at each
 * heartbeat, that its lock is held by the session it is talking to.
 */
public final class PostgresProjectionLeases implements ProjectionLeases {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresProjectionLeases.class);
    /** Distinguishes these locks from others in pg_locks: "PROJ". */
    public static final int LOCK_CLASS = 0x50524F4A;
    /** How long a lease outlives a holder that went silent, unless configured otherwise. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private static final String HELD_BY_THIS_SESSION = """
            SELECT EXISTS (SELECT 1 FROM pg_locks
                            WHERE locktype = 'advisory' AND classid = ?::oid AND objid = hashtext(?)::oid
                              AND objsubid = 2 AND granted AND pid = pg_backend_pid())
            """;
    private static final String HELD_IN_THIS_DATABASE = """
            SELECT EXISTS (SELECT 1 FROM pg_locks
                            WHERE locktype = 'advisory' AND classid = ?::oid AND objid = hashtext(?)::oid
                              AND objsubid = 2 AND granted
                              AND database = (SELECT oid FROM pg_database WHERE datname = current_database()))
            """;
    private static final String BOUND_SESSION = """
            SELECT set_config('tcp_keepalives_idle', ?, false), set_config('tcp_keepalives_interval', ?, false),
                   set_config('tcp_keepalives_count', '3', false), set_config('tcp_user_timeout', ?, false)
            """;
    private static final String UNBOUND_SESSION =
            "RESET tcp_keepalives_idle; RESET tcp_keepalives_interval; RESET tcp_keepalives_count; RESET tcp_user_timeout";

    /** One thread beats for every lease of the process: a beat is one short query. */
    private static final ScheduledExecutorService HEARTBEATS = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("projection-lease-heartbeat").factory());
    /** pgjdbc applies a network timeout on the calling thread and never runs anything on this. */
    private static final Executor CALLING_THREAD = Runnable::run;

    private final DataSource dataSource;
    private final Duration timeout;
    private volatile boolean ownSessions;
    private volatile boolean warnedUnbounded;

    public PostgresProjectionLeases(DataSource dataSource) {
        this(dataSource, DEFAULT_TIMEOUT);
    }

    /** @param timeout how long a lease outlives a holder that went silent; at least a second */
    public PostgresProjectionLeases(DataSource dataSource, Duration timeout) {
        if (timeout.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("a projection lease timeout is at least 1s, was " + timeout);
        }
        this.dataSource = dataSource;
        this.timeout = timeout;
    }

    /**
     * Checks that each connection of the pool talks to a server session of its own and keeps it
     * from one transaction to the next, as session advisory locks need: two connections, one of
     * them inside a transaction, must report different backend pids, and the other must report the
     * same one each time. A transaction-pooling proxy lends sessions per transaction and fails it.
     *
     * @throws SessionsShared when the connections share server sessions
     */
    public void requireOwnSessions() {
        if (ownSessions) {
            return;
        }
        try (Connection first = dataSource.getConnection(); Connection second = dataSource.getConnection()) {
            for (int round = 0; round < 3; round++) {
                int before = backendPid(first);
                second.setAutoCommit(false);
                try {
                    int pinned = backendPid(second);
                    int after = backendPid(first);
                    if (before != after || pinned == before || pinned == after) {
                        throw new SessionsShared(before, pinned, after);
                    }
                } finally {
                    second.rollback();
                    second.setAutoCommit(true);
                }
            }
        } catch (SQLException e) {
            throw PostgresFailures.translate("check that projection connections keep their own sessions", e);
        }
        ownSessions = true;
    }

    private static int backendPid(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT pg_backend_pid()")) {
            row.next();
            return row.getInt(1);
        }
    }

    /** The connections of the pool share server sessions (a transaction-pooling proxy is in between). */
    public static final class SessionsShared extends IllegalStateException {
        SessionsShared(int before, int pinned, int after) {
            super("the database connections share server sessions (backend pids " + before + ", " + pinned + ", "
                    + after + "): a transaction-pooling proxy such as PgBouncer in pool_mode=transaction is between the "
                    + "service and PostgreSQL; projection leases are session advisory locks and would exclude nobody. "
                    + "Connect the service to PostgreSQL directly or through session pooling (pool_mode=session)");
        }
    }

    @Override
    public Optional<ProjectionLease> tryAcquire(String projection) {
        requireOwnSessions();
        Connection connection = null;
        try {
            connection = dataSource.getConnection();
            // The holder's side of the bound: a query to a server that stopped answering fails in time.
            connection.setNetworkTimeout(CALLING_THREAD, (int) timeout.toMillis());
            bound(connection);
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT pg_try_advisory_lock(?, hashtext(?))")) {
                statement.setInt(1, LOCK_CLASS);
                statement.setString(2, projection);
                try (ResultSet row = statement.executeQuery()) {
                    row.next();
                    if (row.getBoolean(1)) {
                        return Optional.of(new Lease(connection, projection));
                    }
                }
            }
            unbound(connection);
            connection.close();
            return Optional.empty();
        } catch (SQLException e) {
            closeQuietly(connection);
            throw PostgresFailures.translate("take the lease of projection " + projection, e);
        }
    }

    /** Whether any session, of any instance, holds the lease of {@code projection} right now. */
    public boolean isHeld(String projection) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(HELD_IN_THIS_DATABASE)) {
            statement.setInt(1, LOCK_CLASS);
            statement.setString(2, projection);
            try (ResultSet row = statement.executeQuery()) {
                return row.next() && row.getBoolean(1);
            }
        } catch (SQLException e) {
            throw PostgresFailures.translate("look for the holder of the lease of projection " + projection, e);
        }
    }

    /** Makes the server end this session after {@link #timeout} of silence from its client. */
    private void bound(Connection connection) throws SQLException {
        long seconds = Math.max(1, timeout.toSeconds());
        try (PreparedStatement statement = connection.prepareStatement(BOUND_SESSION)) {
            statement.setString(1, Long.toString(Math.max(1, seconds / 3)));
            statement.setString(2, Long.toString(Math.max(1, seconds / 6)));
            statement.setString(3, Long.toString(timeout.toMillis()));
            statement.executeQuery().close();
        }
        if (connection.getMetaData().getDatabaseMajorVersion() >= 14) {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT set_config('idle_session_timeout', ?, false)")) {
                statement.setString(1, Long.toString(timeout.toMillis()));
                statement.executeQuery().close();
            }
        } else if (!warnedUnbounded) {
            warnedUnbounded = true;
            LOG.warn("event=projection_lease_unbounded postgres={} hint=\"PostgreSQL before 14 has no "
                    + "idle_session_timeout: a holder whose host is gone loses its lease when TCP keepalives fail "
                    + "(seconds), but one that is only frozen keeps it; upgrade to PostgreSQL 14 or newer\"",
                    connection.getMetaData().getDatabaseProductVersion());
        }
    }

    /** Gives a pooled connection back as it was lent. */
    private static void unbound(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(UNBOUND_SESSION
                    + (connection.getMetaData().getDatabaseMajorVersion() >= 14 ? "; RESET idle_session_timeout" : ""));
        }
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // Nothing more to release.
            }
        }
    }

    private final class Lease implements ProjectionLease {

        private final Connection connection;
        private final String projection;
        private final ScheduledFuture<?> heartbeat;
        private volatile boolean held = true;
        private volatile long heardAt = System.nanoTime();

        Lease(Connection connection, String projection) {
            this.connection = connection;
            this.projection = projection;
            long every = Math.max(100, timeout.toMillis() / 4);
            this.heartbeat = HEARTBEATS.scheduleWithFixedDelay(this::beat, every, every, TimeUnit.MILLISECONDS);
        }

        /** Speaks on the session, so the server keeps it, and checks the lock is still this session's. */
        private void beat() {
            boolean stillHeld;
            synchronized (this) {
                if (!held) {
                    return;
                }
                try (PreparedStatement statement = connection.prepareStatement(HELD_BY_THIS_SESSION)) {
                    statement.setInt(1, LOCK_CLASS);
                    statement.setString(2, projection);
                    try (ResultSet row = statement.executeQuery()) {
                        stillHeld = row.next() && row.getBoolean(1);
                    }
                } catch (SQLException e) {
                    stillHeld = false;
                }
                if (stillHeld) {
                    heardAt = System.nanoTime();
                    return;
                }
                held = false;
            }
            heartbeat.cancel(false);
            LOG.warn("event=projection_lease_lost projection={} action=\"stopping; will try to take it again\" "
                    + "hint=\"the lease session ended or its lock is gone (frozen or cut off for longer than {}, or a "
                    + "server restart); another instance may run the projection now\"", projection, timeout);
        }

        /** False once a heartbeat failed, or when none succeeded for {@code timeout}: the server has ended the session by then. */
        @Override
        public boolean isHeld() {
            return held && System.nanoTime() - heardAt < timeout.toNanos();
        }

        @Override
        public synchronized void close() {
            heartbeat.cancel(false);
            try (PreparedStatement statement = connection.prepareStatement("SELECT pg_advisory_unlock(?, hashtext(?))")) {
                statement.setInt(1, LOCK_CLASS);
                statement.setString(2, projection);
                statement.execute();
                unbound(connection);
            } catch (SQLException e) {
                // The session is gone, and the lock with it.
            } finally {
                held = false;
                closeQuietly(connection);
            }
        }
    }
}
