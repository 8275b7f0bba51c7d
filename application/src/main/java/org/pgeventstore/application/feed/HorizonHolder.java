package org.pgeventstore.application.feed;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The oldest transaction still running on the database server, which holds the feed's horizon.
 *
 * @param kind {@code session} (a connection's open transaction) or {@code prepared} (a two-phase
 *     transaction prepared and neither committed nor rolled back)
 * @param pid the session's process id; null for a prepared transaction
 * @param gid the prepared transaction's global id; null for a session
 * @param database the database it runs in, which may be another one than the service's
 * @param user the role that runs it
 * @param applicationName the session's {@code application_name}, or null
 * @param clientAddress where the session connects from, or null (a local socket, or a prepared transaction)
 * @param state the session's state ({@code idle in transaction}, {@code active}, ...) or {@code prepared}
 * @param since when its transaction began (a session) or was prepared
 * @param age how long ago that was
 * @param query the session's latest statement, at most 200 characters, or null
 */
public record HorizonHolder(String kind, Long pid, String gid, String database, String user, String applicationName,
                            String clientAddress, String state, Instant since, Duration age, String query) {

    public HorizonHolder {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(age, "age");
    }

    /** What an operator does to end it. */
    public String remedy() {
        return "prepared".equals(kind)
                ? "COMMIT PREPARED '" + gid + "' or ROLLBACK PREPARED '" + gid + "' (connected to database " + database + ")"
                : "end that transaction (COMMIT or ROLLBACK in its session), or SELECT pg_terminate_backend(" + pid + ")";
    }
}
