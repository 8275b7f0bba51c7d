package org.pgeventstore.adapters.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.pgeventstore.application.eventstore.EventFilter;
import org.pgeventstore.application.eventstore.EventStore;
import org.pgeventstore.application.order.OrderEventRegistry;
import org.pgeventstore.application.order.OrderStreams;
import org.pgeventstore.application.projection.ProjectionLeases;
import org.pgeventstore.application.projection.ProjectionRunner;
import org.pgeventstore.application.projection.ProjectionSettings;
import org.pgeventstore.application.projection.ProjectionSignal;
import org.pgeventstore.application.projection.ProjectionStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the order read model from position 0 into a fresh table while the live one keeps
 * serving reads and following the feed, then swaps the fresh table in.
 *
 * <p>The swap is one transaction that first locks the live checkpoint row (so the live runner's
 * batches wait or are refused with a moved checkpoint), then replaces the live table with the
 * fresh one and sets the live checkpoint to the fresh table's. The live runner goes on from
 * there, so no event is lost or applied twice across the swap. Reads wait for the swap's
 * table lock, a few milliseconds, and never see a half-built table.
 */
public final class PostgresOrderProjectionRebuild {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresOrderProjectionRebuild.class);

    private final DataSource dataSource;
    private final OrderEventRegistry registry;
    private final EventStore feed;
    private final ProjectionSettings settings;
    private final String name;
    private final String table;

    /**
     * @param dataSource connections for the rebuild (the projections' own pool)
     * @param feed the feed to rebuild from
     * @param name the live projection's checkpoint name
     * @param table the live read model table
     */
    public PostgresOrderProjectionRebuild(DataSource dataSource, OrderEventRegistry registry, EventStore feed,
                                          ProjectionSettings settings, String name, String table) {
        if (!name.matches("[a-z0-9_-]{1,50}") || !table.matches("[a-z_][a-z0-9_]{0,50}")) {
            throw new IllegalArgumentException("projection names are [a-z0-9_-], tables [a-z0-9_]; was " + name + ", " + table);
        }
        this.dataSource = dataSource;
        this.registry = registry;
        this.feed = feed;
        this.settings = settings;
        this.name = name;
        this.table = table;
    }

    /** Rebuilds and swaps; returns the number of events applied to the fresh table. Blocks until done. */
    public long run() {
        String freshName = name + "-rebuild";
        String freshTable = table + "_rebuild";
        long started = System.nanoTime();
        try {
            execute("DROP TABLE IF EXISTS " + freshTable,
                    "CREATE TABLE " + freshTable + " (LIKE " + table + " INCLUDING ALL)",
                    "DELETE FROM projection_positions WHERE name = '" + freshName + "'",
                    "UPDATE projection_positions SET status = 'rebuilding', updated_at = now() WHERE name = '" + name + "'");
            LOG.info("event=projection_rebuild_started projection={} table={}", name, freshTable);
            var fresh = new PostgresOrderProjectionStore(dataSource, registry, freshName, freshTable, connection -> { });
            var runner = new ProjectionRunner(fresh, feed, EventFilter.category(OrderStreams.CATEGORY), settings,
                    ProjectionLeases.UNCONTENDED, new ProjectionSignal());
            long applied = runner.catchUp();
            if (fresh.state().status() != ProjectionStatus.RUNNING) {
                throw new IllegalStateException("the rebuild of projection " + name + " stopped at position "
                        + fresh.state().failedPosition() + ": " + fresh.state().lastError());
            }
            // Whatever arrived during the catch-up is applied by the live runner after the swap.
            long position = swap(freshName, freshTable);
            LOG.info("event=projection_rebuilt projection={} events={} position={} seconds={}", name, applied, position,
                    (System.nanoTime() - started) / 1_000_000_000.0);
            return applied;
        } catch (SQLException e) {
            LOG.error("event=projection_rebuild_failed projection={} error=\"{}\" hint=\"the live read model was left "
                    + "as it was; retry the rebuild\"", name, e.getMessage());
            restoreStatus();
            throw PostgresFailures.translate("rebuild projection " + name, e);
        } catch (RuntimeException e) {
            LOG.error("event=projection_rebuild_failed projection={} error=\"{}\" hint=\"the live read model was left "
                    + "as it was; retry the rebuild\"", name, e.getMessage());
            restoreStatus();
            throw e;
        }
    }

    private long swap(String freshName, String freshTable) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.execute("SELECT position FROM projection_positions WHERE name = '" + name + "' FOR UPDATE");
                long position;
                try (PreparedStatement read = connection.prepareStatement(
                        "SELECT position FROM projection_positions WHERE name = ? FOR UPDATE")) {
                    read.setString(1, freshName);
                    try (ResultSet row = read.executeQuery()) {
                        row.next();
                        position = row.getLong(1);
                    }
                }
                statement.execute("DROP TABLE " + table);
                statement.execute("ALTER TABLE " + freshTable + " RENAME TO " + table);
                try (PreparedStatement move = connection.prepareStatement("""
                        UPDATE projection_positions
                           SET position = ?, status = 'running', failed_position = NULL, last_error = NULL, updated_at = now()
                         WHERE name = ?
                        """)) {
                    move.setLong(1, position);
                    move.setString(2, name);
                    move.executeUpdate();
                }
                statement.execute("DELETE FROM projection_positions WHERE name = '" + freshName + "'");
                connection.commit();
                return position;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    private void restoreStatus() {
        try {
            execute("UPDATE projection_positions SET status = 'running', updated_at = now() WHERE name = '" + name
                    + "' AND status = 'rebuilding'");
        } catch (SQLException ignored) {
            // The database is out of reach; the status is corrected by the next rebuild.
        }
    }

    private void execute(String... statements) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }
}
