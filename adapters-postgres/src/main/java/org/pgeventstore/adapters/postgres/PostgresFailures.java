package org.pgeventstore.adapters.postgres;

import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Map;
import java.util.Set;
import org.pgeventstore.application.eventstore.EventStoreUnavailable;
import org.pgeventstore.application.eventstore.InvalidEventData;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * Turns JDBC failures into the exceptions the ports promise:
 * <ul>
 *   <li>{@link EventStoreUnavailable} (503, retry) when PostgreSQL cannot be reached, did not answer
 *       in time, or gave up on the statement: statement timeout or cancel (57014), lock timeout
 *       (55P03), deadlock (40P01), serialization failure (40001). The transaction did not commit, or
 *       its outcome is unknown to us; either way a re-send with the same event ids is safe.</li>
 *   <li>{@link InvalidEventData} (4xx) only when the client's data is what PostgreSQL refused: a JSON
 *       text its parser rejects, or JSON that is not an object where the events table wants one.</li>
 *   <li>{@link IllegalStateException} (500) for everything else, including the other data
 *       exceptions (class 22): those are faults of the server side, not of the request.</li>
 * </ul>
 */
public final class PostgresFailures {

    private static final Map<String, String> GAVE_UP = Map.of(
            "57014", "the statement was cancelled (statement timeout or cancel request)",
            "55P03", "a lock was not available in time (lock timeout)",
            "40P01", "the transaction was chosen as a deadlock victim",
            "40001", "the transaction could not be serialized with a concurrent one");

    /** Data exceptions that PostgreSQL's JSON parser raises: bad syntax, bad escape, \u0000 in jsonb. */
    private static final Set<String> JSON_INPUT_STATES = Set.of("22P02", "22025", "22P05");

    /** The events table's checks that data and metadata are JSON objects, with the field each guards. */
    private static final Map<String, String> OBJECT_CHECKS = Map.of(
            "events_data_is_object", "data",
            "events_metadata_is_object", "metadata");

    private PostgresFailures() {
    }

    public static RuntimeException translate(String action, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (e instanceof SQLTransientConnectionException
                || state.startsWith("08")      // connection exception
                || state.startsWith("57P")     // admin shutdown, crash shutdown, cannot connect now
                || state.startsWith("53")) {   // insufficient resources, too many connections
            String what = causedByTimeout(e) ? "PostgreSQL did not answer in time" : "PostgreSQL is unavailable";
            return new EventStoreUnavailable(what + ", could not " + action + " (SQLSTATE " + state + ": "
                    + e.getMessage() + "); check that the database is up, reachable and not overloaded", e);
        }
        if (GAVE_UP.containsKey(state)) {
            return new EventStoreUnavailable("PostgreSQL gave up, could not " + action + ": " + GAVE_UP.get(state)
                    + " (SQLSTATE " + state + "); nothing was committed, the request may be retried", e);
        }
        ServerErrorMessage server = e instanceof PSQLException psql ? psql.getServerErrorMessage() : null;
        if (JSON_INPUT_STATES.contains(state) && raisedByJsonParser(server)) {
            return new InvalidEventData("data", "data and metadata must be JSON that PostgreSQL can store ("
                    + e.getMessage() + ")");
        }
        if ("23514".equals(state) && server != null && OBJECT_CHECKS.containsKey(server.getConstraint())) {
            String field = OBJECT_CHECKS.get(server.getConstraint());
            return new InvalidEventData(field, field + " must be a JSON object");
        }
        return new IllegalStateException("could not " + action + " (SQLSTATE " + state + "): " + e.getMessage(), e);
    }

    /*
     * The same SQLSTATEs come from other input functions too (22P02 for "x"::int, 22025 for a LIKE
     * escape), and the message is translated with the server's locale; the source file the server
     * names is neither: jsonfuncs.c (PostgreSQL 13 and later), json.c or jsonb.c.
     */
    private static boolean raisedByJsonParser(ServerErrorMessage server) {
        return server != null && server.getFile() != null && server.getFile().startsWith("json");
    }

    private static boolean causedByTimeout(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }
}
