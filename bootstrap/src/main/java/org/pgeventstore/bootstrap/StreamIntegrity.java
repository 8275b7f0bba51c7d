package org.pgeventstore.bootstrap;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.pgeventstore.application.eventstore.EventStoreUnavailable;

/**
 * The log's own invariants, checked on what is stored rather than trusted to the constraints that
 * should keep them: every stream numbered 1..N without gaps, and no position given to two events.
 * Reads the whole log once (an admin statement: {@code eventstore.database.admin-socket-timeout}).
 */
final class StreamIntegrity {

    /** How many problems of each kind a check names at most. */
    static final int LIMIT = 100;

    private final DataSource dataSource;

    StreamIntegrity(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** What the check found: the streams it read and each problem, in words. */
    record Report(long streams, long events, List<String> problems) {
    }

    Report check() {
        List<String> problems = new ArrayList<>();
        try (Connection connection = dataSource.getConnection()) {
            long streams;
            long events;
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT count(DISTINCT stream_id), count(*) FROM events");
                 ResultSet rows = statement.executeQuery()) {
                rows.next();
                streams = rows.getLong(1);
                events = rows.getLong(2);
            }
            try (PreparedStatement statement = connection.prepareStatement("""
                    SELECT stream_id, count(*), min(version), max(version), count(DISTINCT version) FROM events
                    GROUP BY stream_id
                    HAVING min(version) <> 1 OR max(version) <> count(*) OR count(DISTINCT version) <> count(*)
                    ORDER BY stream_id LIMIT ?""")) {
                statement.setInt(1, LIMIT);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        problems.add("stream " + rows.getString(1) + " is not numbered 1.." + rows.getLong(2)
                                + " without gaps: it has " + rows.getLong(2) + " events with versions " + rows.getLong(3)
                                + ".." + rows.getLong(4) + " (" + rows.getLong(5) + " distinct)");
                    }
                }
            }
            try (PreparedStatement statement = connection.prepareStatement("""
                    SELECT position, count(*) FROM events GROUP BY position HAVING count(*) > 1
                    ORDER BY position LIMIT ?""")) {
                statement.setInt(1, LIMIT);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        problems.add("position " + rows.getLong(1) + " is given to " + rows.getLong(2) + " events");
                    }
                }
            }
            return new Report(streams, events, problems);
        } catch (SQLException e) {
            throw new EventStoreUnavailable("could not read the log to check it: " + e.getMessage(), e);
        }
    }
}
