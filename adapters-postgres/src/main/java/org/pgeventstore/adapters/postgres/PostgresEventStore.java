package org.pgeventstore.adapters.postgres;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.postgresql.PGStatement;
import org.pgeventstore.application.eventstore.AppendResult;
import org.pgeventstore.application.eventstore.ConcurrencyConflict;
import org.pgeventstore.application.eventstore.DuplicateEventId;
import org.pgeventstore.application.eventstore.EventFilter;
import org.pgeventstore.application.eventstore.EventStore;
import org.pgeventstore.application.eventstore.ExpectedVersion;
import org.pgeventstore.application.eventstore.FeedPage;
import org.pgeventstore.application.eventstore.NewEvent;
import org.pgeventstore.application.eventstore.RecordedEvent;
import org.pgeventstore.application.eventstore.StreamId;
import org.pgeventstore.application.eventstore.StreamSlice;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link EventStore} on PostgreSQL. Each append is one call of the
 * {@code append_events} function in its own transaction (one round trip); reads are
 * single statements. The feed's ordering mechanism is described in
 * {@code docs/adr/0001-global-feed-ordering.md}.
 */
public final class PostgresEventStore implements EventStore {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresEventStore.class);

    private static final String APPEND = """
            SELECT outcome, current_version, first_version, last_version, first_position, last_position, duplicate_event_id
              FROM append_events(?, ?, ?, ?, ?, ?, ?)
            """;

    private static final String RESEND_CHECK = """
            SELECT outcome, current_version, first_version, last_version, first_position, last_position, duplicate_event_id
              FROM events_resend_check(?, ?)
            """;

    private static final String READ_STREAM = """
            SELECT s.current_version, e.event_id, e.type, e.version, e.position, e.data::text, e.metadata::text, e.occurred_at,
                   e.schema_version
              FROM (SELECT coalesce(max(version), 0) AS current_version FROM events WHERE stream_id = ?) s
              LEFT JOIN LATERAL (
                    SELECT event_id, type, version, position, data, metadata, occurred_at, schema_version
                      FROM events
                     WHERE stream_id = ? AND version >= ?
                     ORDER BY version
                     LIMIT ?) e ON true
             ORDER BY e.version
            """;

    private static final String CURRENT_VERSION = """
            SELECT coalesce(max(version), 0) FROM events WHERE stream_id = ?
            """;

    /*
     * The feed hands out only events of transactions older than the oldest one still
     * running: their rows are all visible in this statement's snapshot and no event with a
     * lower position can commit later. The bound is an InitPlan, so the scan is a range
     * scan of an index whatever the table's size.
     */
    private static final String VISIBLE_BOUND = "(SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint << 16)";

    /** The columns {@link #recordedEvent} reads, of {@code events e}. */
    static final String EVENT_COLUMNS =
            "e.event_id, e.stream_id, e.type, e.version, e.position, e.data::text, e.metadata::text, e.occurred_at, "
                    + "e.schema_version";

    private static final String FEED_ALL = """
            SELECT %s
              FROM events e
             WHERE e.position > ? AND e.position < %s
             ORDER BY e.position
             LIMIT ?
            """.formatted(EVENT_COLUMNS, VISIBLE_BOUND);

    private static final String FEED_BY_CATEGORY = """
            SELECT %s
              FROM events e
             WHERE e.category = ? AND e.position > ? AND e.position < %s
             ORDER BY e.position
             LIMIT ?
            """.formatted(EVENT_COLUMNS, VISIBLE_BOUND);

    // One branch per wanted type, each a range scan that stops after a page, merged in
    // position order: the cost stays per page, not per table.
    private static final String FEED_TYPE_BRANCH = """
            (SELECT %s
               FROM events e
              WHERE e.type = ? AND e.position > ? AND e.position < %s %%s
              ORDER BY e.position
              LIMIT ?)""".formatted(EVENT_COLUMNS, VISIBLE_BOUND);

    private static final int MAX_ATTEMPTS = 50;
    private static final String UNIQUE_VIOLATION = "23505";

    private final DataSource dataSource;

    public PostgresEventStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public AppendResult append(StreamId stream, ExpectedVersion expected, List<NewEvent> events) {
        List<NewEvent> batch = NewEvent.requireValidBatch(events);
        for (int attempt = 1; ; attempt++) {
            try (Connection connection = dataSource.getConnection()) {
                try {
                    return outcome(stream, expected, appendOnce(connection, stream, expected, batch));
                } catch (SQLException e) {
                    if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                        throw e;
                    }
                    // Another append committed first: a re-send, a duplicate id, or a lost race.
                    Outcome check = resendCheck(connection, stream, batch);
                    if (!"conflict".equals(check.kind) || !(expected instanceof ExpectedVersion.Any)) {
                        return outcome(stream, expected, check);
                    }
                }
            } catch (SQLException e) {
                throw PostgresFailures.translate("append to stream " + stream, e);
            }
            if (attempt >= MAX_ATTEMPTS) {
                LOG.warn("event=append_contended stream={} attempts={}", stream, attempt);
                throw new ConcurrencyConflict(stream.value(), expected, currentVersion(stream));
            }
            backOff(attempt);
        }
    }

    private static Outcome appendOnce(Connection connection, StreamId stream, ExpectedVersion expected, List<NewEvent> batch)
            throws SQLException {
        int size = batch.size();
        UUID[] ids = new UUID[size];
        String[] types = new String[size];
        String[] data = new String[size];
        String[] metadata = new String[size];
        Integer[] schemaVersions = new Integer[size];
        for (int i = 0; i < size; i++) {
            NewEvent event = batch.get(i);
            ids[i] = event.eventId();
            types[i] = event.type();
            data[i] = event.data();
            metadata[i] = event.metadata();
            schemaVersions[i] = event.schemaVersion();
        }
        try (PreparedStatement statement = connection.prepareStatement(APPEND)) {
            statement.setString(1, stream.value());
            statement.setLong(2, encode(expected));
            statement.setArray(3, connection.createArrayOf("uuid", ids));
            statement.setArray(4, connection.createArrayOf("text", types));
            statement.setArray(5, connection.createArrayOf("text", data));
            statement.setArray(6, connection.createArrayOf("text", metadata));
            statement.setArray(7, connection.createArrayOf("int4", schemaVersions));
            return Outcome.single(statement);
        }
    }

    private static Outcome resendCheck(Connection connection, StreamId stream, List<NewEvent> batch) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(RESEND_CHECK)) {
            statement.setString(1, stream.value());
            Array ids = connection.createArrayOf("uuid", batch.stream().map(NewEvent::eventId).toArray(UUID[]::new));
            statement.setArray(2, ids);
            Outcome outcome = Outcome.single(statement);
            return "absent".equals(outcome.kind) ? outcome.as("conflict") : outcome;
        }
    }

    private static AppendResult outcome(StreamId stream, ExpectedVersion expected, Outcome outcome) {
        return switch (outcome.kind) {
            case "appended" -> outcome.result(stream, false);
            case "replayed" -> outcome.result(stream, true);
            case "duplicate" -> throw new DuplicateEventId(stream.value(), outcome.duplicateEventId);
            case "conflict" -> throw new ConcurrencyConflict(stream.value(), expected, outcome.currentVersion);
            default -> throw new IllegalStateException("append_events answered an unknown outcome: " + outcome.kind);
        };
    }

    private static long encode(ExpectedVersion expected) {
        return switch (expected) {
            case ExpectedVersion.Any any -> -1;
            case ExpectedVersion.Exists exists -> -2;
            case ExpectedVersion.NoStream noStream -> 0;
            case ExpectedVersion.Exact exact -> exact.version();
        };
    }

    private static void backOff(int attempt) {
        long maxMicros = Math.min(50_000, 100L << Math.min(attempt, 9));
        LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(maxMicros) * 1_000);
    }

    @Override
    public StreamSlice read(StreamId stream, long fromVersion, int limit) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(READ_STREAM)) {
            statement.setString(1, stream.value());
            statement.setString(2, stream.value());
            statement.setLong(3, fromVersion);
            statement.setInt(4, Math.max(limit, 0));
            long current = 0;
            List<RecordedEvent> events = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    current = rows.getLong(1);
                    if (rows.getObject(2) != null) {
                        events.add(new RecordedEvent(rows.getObject(2, UUID.class), stream.value(), rows.getString(3),
                                rows.getInt(9), rows.getLong(4), rows.getLong(5), rows.getString(6), rows.getString(7),
                                rows.getObject(8, OffsetDateTime.class).toInstant()));
                    }
                }
            }
            return new StreamSlice(stream.value(), current, events);
        } catch (SQLException e) {
            throw PostgresFailures.translate("read stream " + stream, e);
        }
    }

    @Override
    public FeedPage readAll(long after, int limit, EventFilter filter) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = feedStatement(connection, after, Math.max(limit, 0), filter)) {
            List<RecordedEvent> events = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    events.add(recordedEvent(rows));
                }
            }
            return new FeedPage(events, events.isEmpty() ? after : events.getLast().position());
        } catch (SQLException e) {
            throw PostgresFailures.translate("read the global feed after " + after, e);
        }
    }

    private static PreparedStatement feedStatement(Connection connection, long after, int limit, EventFilter filter)
            throws SQLException {
        PreparedStatement statement;
        if (!filter.types().isEmpty()) {
            List<String> types = filter.types().stream().sorted().toList();
            String branch = FEED_TYPE_BRANCH.formatted(filter.category().isPresent() ? "AND e.category = ?" : "");
            String sql = "SELECT * FROM (" + String.join("\nUNION ALL\n", Collections.nCopies(types.size(), branch))
                    + ") page\nORDER BY position\nLIMIT ?";
            statement = connection.prepareStatement(sql);
            int index = 1;
            for (String type : types) {
                statement.setString(index++, type);
                statement.setLong(index++, after);
                if (filter.category().isPresent()) {
                    statement.setString(index++, filter.category().get());
                }
                statement.setInt(index++, limit);
            }
            statement.setInt(index, limit);
        } else if (filter.category().isPresent()) {
            statement = connection.prepareStatement(FEED_BY_CATEGORY);
            statement.setString(1, filter.category().get());
            statement.setLong(2, after);
            statement.setInt(3, limit);
        } else {
            statement = connection.prepareStatement(FEED_ALL);
            statement.setLong(1, after);
            statement.setInt(2, limit);
            return statement;
        }
        // A filter's selectivity decides between the filter's index and the primary key;
        // a generic plan cannot see it, so filtered reads are planned with their values.
        statement.unwrap(PGStatement.class).setPrepareThreshold(0);
        return statement;
    }

    /** The event of a row whose first columns are {@link #EVENT_COLUMNS}. */
    static RecordedEvent recordedEvent(ResultSet rows) throws SQLException {
        return new RecordedEvent(rows.getObject(1, UUID.class), rows.getString(2), rows.getString(3), rows.getInt(9),
                rows.getLong(4), rows.getLong(5), rows.getString(6), rows.getString(7),
                rows.getObject(8, OffsetDateTime.class).toInstant());
    }

    @Override
    public long currentVersion(StreamId stream) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(CURRENT_VERSION)) {
            statement.setString(1, stream.value());
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw PostgresFailures.translate("read the version of stream " + stream, e);
        }
    }

    /** One row of {@code append_events} or {@code events_resend_check}. */
    private record Outcome(String kind, long currentVersion, long firstVersion, long lastVersion,
                           long firstPosition, long lastPosition, UUID duplicateEventId) {

        static Outcome single(PreparedStatement statement) throws SQLException {
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    throw new SQLException("the append function returned no row");
                }
                return new Outcome(rows.getString(1), rows.getLong(2), rows.getLong(3), rows.getLong(4),
                        rows.getLong(5), rows.getLong(6), rows.getObject(7, UUID.class));
            }
        }

        Outcome as(String newKind) {
            return new Outcome(newKind, currentVersion, firstVersion, lastVersion, firstPosition, lastPosition, duplicateEventId);
        }

        AppendResult result(StreamId stream, boolean replayed) {
            return new AppendResult(stream.value(), firstVersion, lastVersion, firstPosition, lastPosition, replayed);
        }
    }
}
