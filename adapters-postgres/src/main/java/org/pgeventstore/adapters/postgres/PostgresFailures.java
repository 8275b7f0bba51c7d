package org.pgeventstore.adapters.postgres;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.pgeventstore.application.eventstore.EventStoreUnavailable;
import org.pgeventstore.application.eventstore.InvalidEventData;

/** Turns JDBC failures into the exceptions the ports promise. */
final class PostgresFailures {

    private PostgresFailures() {
    }

    static RuntimeException translate(String action, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (e instanceof SQLTransientConnectionException
                || state.startsWith("08")      // connection exception
                || state.startsWith("57P")     // admin shutdown, crash shutdown, cannot connect now
                || state.startsWith("53")) {   // insufficient resources, too many connections
            return new EventStoreUnavailable("PostgreSQL is unavailable, could not " + action + " (SQLSTATE " + state
                    + ": " + e.getMessage() + "); check that the database is up and reachable", e);
        }
        if (state.startsWith("22") || state.equals("23514")) {   // data exception, check violation
            return new InvalidEventData("data", "data and metadata must be JSON objects (" + e.getMessage() + ")");
        }
        return new IllegalStateException("could not " + action + " (SQLSTATE " + state + "): " + e.getMessage(), e);
    }
}
