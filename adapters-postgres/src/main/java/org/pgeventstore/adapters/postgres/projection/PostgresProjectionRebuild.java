package org.pgeventstore.adapters.postgres.projection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.pgeventstore.adapters.postgres.PostgresFailures;
import org.pgeventstore.application.eventstore.EventFilter;
import org.pgeventstore.application.eventstore.EventStore;
import org.pgeventstore.application.projection.ProjectionLeases;
import org.pgeventstore.application.projection.ProjectionRebuild;
import org.pgeventstore.application.projection.ProjectionRunner;
import org.pgeventstore.application.projection.ProjectionSettings;
import org.pgeventstore.application.feed.AppendSignal;
import org.pgeventstore.application.projection.ProjectionStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds a read model from position 0 into its other table (see
 * {@link ReadModelTables}), written by its {@link ReadModelWriter}, while the live one keeps serving reads and following the feed,
 * then makes it the live one. Nothing here is DDL: the application role needs only DML on the
 * tables the migrations made, which keep their grants, indexes and names.
 *
 * <p>The swap is one short transaction: lock the live checkpoint row (the live runner's batches
 * wait or are refused with a moved checkpoint), point it at the rebuilt table and at the rebuilt
 * checkpoint, hand over the rebuild's parked streams. The live runner goes on from there, so no
 * event is lost or applied twice across the swap. Readers take no lock the swap waits for; the
 * only wait is for a live batch to commit, bounded by a {@code lock_timeout} and retried, so the
 * swap never holds a transaction id (which would hold back the feed for every consumer) for long.
 */
public final class PostgresProjectionRebuild {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresProjectionRebuild.class);
    /** The longest the swap waits for a lock before it lets go of its transaction id and tries again. */
    static final Duration SWAP_LOCK_TIMEOUT = Duration.ofMillis(100);
    private static final Duration SWAP_DEADLINE = Duration.ofSeconds(60);
    private static final Duration MAX_SWAP_PAUSE = Duration.ofMillis(500);
    private static final String LOCK_NOT_AVAILABLE = "55P03";
    private static final int DELETE_PAGE = 5_000;
    /** A rebuild's checkpoint, and its lease, are named after the projection with this suffix. */
    public static final String REBUILD_SUFFIX = "-rebuild";

    private final DataSource dataSource;
    private final EventFilter filter;
    private final ReadModelWriter writer;
    private final EventStore feed;
    private final ProjectionSettings settings;
    private final String name;
    private final String rebuildName;
    private final ReadModelTables tables;
    /** The table being rebuilt, once {@link #begin()} chose it. */
    private String target;

    /**
     * @param dataSource connections for the rebuild (the projections' own pool)
     * @param feed the feed to rebuild from
     * @param projection the live projection: its checkpoint name, the events it follows, its tables and writer
     */
    public PostgresProjectionRebuild(DataSource dataSource, EventStore feed, ProjectionSettings settings,
                                     PostgresProjection projection) {
        this.dataSource = dataSource;
        this.feed = feed;
        this.settings = settings;
        this.name = projection.name();
        this.rebuildName = name + REBUILD_SUFFIX;
        this.filter = projection.filter();
        this.writer = projection.writer();
        this.tables = projection.tables();
    }

    /**
     * The first step, for the caller to take before it hands {@link #run()} to a thread of its own:
     * the rebuild's checkpoint at position 0 in the other table, replacing a failed rebuild's, and
     * the live projection shown as rebuilding. Idempotent until {@link #run()}.
     */
    public void begin() {
        if (target != null) {
            return;
        }
        try {
            String other = tables.other(liveTable());
            execute("DELETE FROM projection_positions WHERE name = ?", rebuildName);
            execute("DELETE FROM projection_parked_events WHERE projection = ?", rebuildName);
            execute("INSERT INTO projection_positions (name, read_model) VALUES (?, ?)", rebuildName, other);
            execute("UPDATE projection_positions SET status = 'rebuilding', updated_at = now() WHERE name = ?", name);
            target = other;
            LOG.info("event=projection_rebuild_started projection={} table={}", name, target);
        } catch (SQLException e) {
            failed(e.getMessage());
            throw PostgresFailures.translate("start rebuilding projection " + name, e);
        } catch (RuntimeException e) {
            failed(e.getMessage());
            throw e;
        }
    }

    /**
     * Rebuilds and swaps, after {@link #begin()} (taken here if the caller did not); returns the
     * number of events applied to the rebuilt table. Blocks until done. A failure leaves the live
     * read model as it was and is kept on the rebuild's checkpoint, where {@link #latest} finds it.
     */
    public long run() {
        begin();
        long started = System.nanoTime();
        try {
            empty(target);
            var rebuilt = new PostgresProjectionCheckpoints(dataSource, rebuildName, name,
                    tables.forCheckpoint(rebuildName), writer, PostgresProjectionCheckpoints.BeforeCommit.NOTHING);
            var runner = new ProjectionRunner(rebuilt, feed, filter, settings,
                    ProjectionLeases.UNCONTENDED, new AppendSignal());
            long applied = runner.catchUp();
            if (rebuilt.state().status() != ProjectionStatus.RUNNING) {
                throw new IllegalStateException("the rebuild of projection " + name + " stopped at position "
                        + rebuilt.state().failedPosition().orElse(-1) + ": " + rebuilt.state().lastError());
            }
            // Whatever arrived during the catch-up is applied by the live runner after the swap.
            Swap swap = swap(target);
            empty(tables.other(target));
            LOG.info("event=projection_rebuilt projection={} table={} events={} position={} parkedStreams={} "
                            + "swapAttempts={} seconds={}", name, target, applied, swap.position(), rebuilt.count(),
                    swap.attempts(), (System.nanoTime() - started) / 1_000_000_000.0);
            return applied;
        } catch (SQLException e) {
            failed(e.getMessage());
            throw PostgresFailures.translate("rebuild projection " + name, e);
        } catch (RuntimeException e) {
            failed(e.getMessage());
            throw e;
        }
    }

    /**
     * The latest rebuild of projection {@code name}: running, or failed with its error; empty when
     * none was started or the latest one succeeded (its checkpoint went with the swap).
     */
    public static Optional<ProjectionRebuild> latest(DataSource dataSource, String name) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT position, status, last_error FROM projection_positions WHERE name = ?")) {
            statement.setString(1, name + REBUILD_SUFFIX);
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                ProjectionStatus status = ProjectionStatus.fromWords(row.getString(2));
                return Optional.of(new ProjectionRebuild(status == ProjectionStatus.FAILED
                        ? ProjectionRebuild.Status.FAILED : ProjectionRebuild.Status.RUNNING, row.getLong(1),
                        Optional.ofNullable(row.getString(3))));
            }
        } catch (SQLException e) {
            throw PostgresFailures.translate("read the latest rebuild of projection " + name, e);
        }
    }

    private void failed(String error) {
        String shown = error == null ? "unknown error" : error;
        LOG.error("event=projection_rebuild_failed projection={} error=\"{}\" hint=\"the live read model was left "
                + "as it was; GET /api/projections/{} shows the error; retry the rebuild\"", name, shown, name);
        // The failure and the live status restored in one transaction: whoever sees one sees the other.
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                update(connection, """
                        INSERT INTO projection_positions (name, status, last_error) VALUES (?, 'failed', ?)
                        ON CONFLICT (name) DO UPDATE SET status = 'failed', last_error = EXCLUDED.last_error,
                                                         updated_at = now()
                        """, rebuildName, shown);
                update(connection, "UPDATE projection_positions SET status = 'running', updated_at = now() "
                        + "WHERE name = ? AND status = 'rebuilding'", name);
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException ignored) {
            // The database is out of reach; the rebuild's lease ends with this thread, which shows it failed,
            // and the next rebuild corrects the live status.
        }
    }

    private String liveTable() throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT read_model FROM projection_positions WHERE name = ?")) {
            statement.setString(1, name);
            try (ResultSet row = statement.executeQuery()) {
                return tables.live(row.next() ? row.getString(1) : null);
            }
        }
    }

    /** Deletes every row of {@code table}, a page per transaction, so none holds a transaction id for long. */
    private void empty(String table) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement delete = connection.prepareStatement(writer.deletePage(table))) {
            delete.setInt(1, DELETE_PAGE);
            while (delete.executeUpdate() > 0) {
                // next page
            }
        }
    }

    private record Swap(long position, int attempts) {
    }

    private Swap swap(String target) throws SQLException {
        long deadline = System.nanoTime() + SWAP_DEADLINE.toNanos();
        Duration pause = Duration.ofMillis(10);
        for (int attempt = 1; ; attempt++) {
            try {
                return new Swap(swapOnce(target), attempt);
            } catch (SQLException e) {
                if (!LOCK_NOT_AVAILABLE.equals(e.getSQLState()) || System.nanoTime() > deadline) {
                    throw e;
                }
            }
            try {
                TimeUnit.MILLISECONDS.sleep(pause.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while swapping in the rebuilt read model of " + name, e);
            }
            pause = pause.multipliedBy(2).compareTo(MAX_SWAP_PAUSE) > 0 ? MAX_SWAP_PAUSE : pause.multipliedBy(2);
        }
    }

    private long swapOnce(String target) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET LOCAL lock_timeout = '" + SWAP_LOCK_TIMEOUT.toMillis() + "ms'");
                long position;
                try (PreparedStatement lock = connection.prepareStatement(
                        "SELECT position FROM projection_positions WHERE name IN (?, ?) ORDER BY name FOR UPDATE")) {
                    lock.setString(1, name);
                    lock.setString(2, rebuildName);
                    lock.executeQuery().close();
                }
                try (PreparedStatement read = connection.prepareStatement(
                        "SELECT position FROM projection_positions WHERE name = ?")) {
                    read.setString(1, rebuildName);
                    try (ResultSet row = read.executeQuery()) {
                        row.next();
                        position = row.getLong(1);
                    }
                }
                update(connection, """
                        UPDATE projection_positions
                           SET position = ?, read_model = ?, status = 'running', failed_position = NULL, last_error = NULL,
                               updated_at = now()
                         WHERE name = ?
                        """, position, target, name);
                // The rebuilt table's parked streams replace the old table's; skips are decisions, and stay.
                update(connection, "DELETE FROM projection_parked_events WHERE projection = ? "
                        + "AND outcome IS DISTINCT FROM 'skipped'", name);
                update(connection, """
                        UPDATE projection_parked_events p SET projection = ?
                         WHERE p.projection = ?
                           AND NOT EXISTS (SELECT 1 FROM projection_parked_events l
                                            WHERE l.projection = ? AND l.position = p.position)
                        """, name, rebuildName, name);
                update(connection, "DELETE FROM projection_parked_events WHERE projection = ?", rebuildName);
                update(connection, "DELETE FROM projection_positions WHERE name = ?", rebuildName);
                connection.commit();
                return position;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        }
    }

    private static void update(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            statement.executeUpdate();
        }
    }

    private void execute(String sql, Object... parameters) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            update(connection, sql, parameters);
        }
    }
}
