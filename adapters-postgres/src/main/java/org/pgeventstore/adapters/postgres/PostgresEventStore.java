package org.pgeventstore.adapters.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.postgresql.PGStatement;
import org.postgresql.util.PSQLException;
import org.pgeventstore.application.eventstore.AppendResult;
import org.pgeventstore.application.eventstore.ConcurrencyConflict;
import org.pgeventstore.application.eventstore.EventFilter;
import org.pgeventstore.application.eventstore.EventStore;
import org.pgeventstore.application.eventstore.ExpectedVersion;
import org.pgeventstore.application.eventstore.FeedPage;
import org.pgeventstore.application.eventstore.NewEvent;
import org.pgeventstore.application.eventstore.RecordedEvent;
import org.pgeventstore.application.eventstore.StreamId;
import org.pgeventstore.application.eventstore.StreamListPage;
import org.pgeventstore.application.eventstore.StreamListQuery;
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

    private static final String OUTCOME_COLUMNS = "outcome, current_version, first_version, last_version, "
            + "first_position, last_position, duplicate_event_id, occurred_at, content_differs";

    private static final String APPEND = "SELECT " + OUTCOME_COLUMNS + " FROM append_events(?, ?, ?, ?, ?, ?, ?)";

    /**
     * The same call for one event, its values bound one by one: the server builds the arrays
     * instead of parsing array literals, in which every quote of the event's JSON is escaped.
     */
    private static final String APPEND_ONE = "SELECT " + OUTCOME_COLUMNS + " FROM append_events(?, ?, ARRAY[?::uuid], "
            + "ARRAY[?::text], ARRAY[?::text], ARRAY[?::text], ARRAY[?::int4])";

    private static final String RESEND_CHECK = "SELECT " + OUTCOME_COLUMNS + " FROM events_resend_check(?, ?, ?, ?, ?, ?)";

    private static final String ALIGN_POSITIONS = "SELECT xid_offset, raised, max_position FROM events_align_positions()";

    private static final String FIND_EVENT = """
            SELECT e.event_id, e.stream_id, e.type, e.version, e.position, e.data::text, e.metadata::text, e.occurred_at,
                   e.schema_version
              FROM events e
             WHERE e.event_id = ? AND e.stream_id = ?
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
    static final String VISIBLE_BOUND = "(SELECT events_visible_bound())";

    private static final String FEED_ALL = """
            SELECT %s
              FROM events e
             WHERE e.position > ? AND e.position < %s
             ORDER BY e.position
             LIMIT ?
            """.formatted(EventRows.COLUMNS, VISIBLE_BOUND);

    private static final String FEED_BY_CATEGORY = """
            SELECT %s
              FROM events e
             WHERE e.category = ? AND e.position > ? AND e.position < %s
             ORDER BY e.position
             LIMIT ?
            """.formatted(EventRows.COLUMNS, VISIBLE_BOUND);

    // One branch per wanted type, each a range scan that stops after a page, merged in
    // position order: the cost stays per page, not per table.
    private static final String FEED_TYPE_BRANCH = """
            (SELECT %s
               FROM events e
              WHERE e.type = ? AND e.position > ? AND e.position < %s %%s
              ORDER BY e.position
              LIMIT ?)""".formatted(EventRows.COLUMNS, VISIBLE_BOUND);

    private static final String FEED_CATEGORY_BRANCH = """
            (SELECT %s
               FROM events e
              WHERE e.category = ? AND e.position > ? AND e.position < %s
              ORDER BY e.position
              LIMIT ?)""".formatted(EventRows.COLUMNS, VISIBLE_BOUND);

    private static final int MAX_ATTEMPTS = 50;
    private static final String UNIQUE_VIOLATION = "23505";
    /** Raised by append_events when stored positions are not below those it would hand out. */
    private static final String POSITIONS_BEHIND = "EV001";
    private static final String POSITION_KEY = "events_pkey";

    private final DataSource dataSource;
    private final Runnable committed;
    private final PostgresStreamListing listing;

    public PostgresEventStore(DataSource dataSource) {
        this(dataSource, () -> { });
    }

    /** A store that runs {@code committed} after each append that stored events, once its transaction committed. */
    public PostgresEventStore(DataSource dataSource, Runnable committed) {
        this.dataSource = dataSource;
        this.committed = committed;
        this.listing = new PostgresStreamListing(dataSource);
    }

    @Override
    public AppendResult append(StreamId stream, ExpectedVersion expected, List<NewEvent> events) {
        AppendResult result = appendWithRetries(stream, expected, events);
        if (!result.replayed()) {
            committed.run();
        }
        return result;
    }

    private AppendResult appendWithRetries(StreamId stream, ExpectedVersion expected, List<NewEvent> events) {
        List<NewEvent> batch = NewEvent.requireValidBatch(events);
        for (int attempt = 1; ; attempt++) {
            try (Connection connection = dataSource.getConnection()) {
                try {
                    return appendOnce(connection, stream, expected, batch).toResult(stream, expected);
                } catch (SQLException e) {
                    if (POSITIONS_BEHIND.equals(e.getSQLState()) || positionTaken(e)) {
                        // The database was restored or cut over to another cluster while this
                        // instance ran: raise the offset in a transaction of its own, then try again.
                        // (A session checks once; one that checked before the restore meets a
                        // stored position instead.)
                        alignPositions(connection);
                    } else if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                        // Another append committed first: a re-send, a duplicate id, or a lost race.
                        AppendOutcome check = resendCheck(connection, stream, batch);
                        if (!"conflict".equals(check.kind()) || !retriesConflicts(expected, check)) {
                            return check.toResult(stream, expected);
                        }
                    } else {
                        throw e;
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

    /** A new event's position is already stored: it came from another cluster. */
    private static boolean positionTaken(SQLException e) {
        return UNIQUE_VIOLATION.equals(e.getSQLState())
                && e instanceof PSQLException psql
                && psql.getServerErrorMessage() != null
                && POSITION_KEY.equals(psql.getServerErrorMessage().getConstraint());
    }

    /** "any" never fails for concurrency, nor does "exists" once the stream has an event. */
    private static boolean retriesConflicts(ExpectedVersion expected, AppendOutcome conflict) {
        return expected instanceof ExpectedVersion.Any
                || (expected instanceof ExpectedVersion.Exists && conflict.currentVersion() > 0);
    }

    /**
     * Raises the position offset if the stored positions are not below those of new appends
     * (the database was restored into, or cut over to, another cluster). Cheap when nothing is
     * to be done. See {@code events_align_positions} in migration V6.
     *
     * @return whether the offset was raised
     */
    public boolean alignPositions() {
        try (Connection connection = dataSource.getConnection()) {
            return alignPositions(connection);
        } catch (SQLException e) {
            throw PostgresFailures.translate("align the event positions with this cluster", e);
        }
    }

    private static boolean alignPositions(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(ALIGN_POSITIONS);
             ResultSet row = statement.executeQuery()) {
            row.next();
            boolean raised = row.getBoolean(2);
            if (raised) {
                LOG.warn("event=position_offset_raised xidOffset={} storedMaxPosition={} reason=\"stored positions were "
                        + "not below those of new appends: the database was restored or cut over to another cluster\" "
                        + "effect=\"new events are positioned after every stored one; consumers' checkpoints stay valid\"",
                        row.getLong(1), row.getLong(3));
            }
            return raised;
        }
    }

    private static AppendOutcome appendOnce(Connection connection, StreamId stream, ExpectedVersion expected, List<NewEvent> batch)
            throws SQLException {
        if (batch.size() == 1) {
            return appendOne(connection, stream, expected, batch.getFirst());
        }
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
            return AppendOutcome.single(statement);
        }
    }

    private static AppendOutcome appendOne(Connection connection, StreamId stream, ExpectedVersion expected, NewEvent event)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(APPEND_ONE)) {
            statement.setString(1, stream.value());
            statement.setLong(2, encode(expected));
            statement.setObject(3, event.eventId());
            statement.setString(4, event.type());
            statement.setString(5, event.data());
            statement.setString(6, event.metadata());
            statement.setInt(7, event.schemaVersion());
            return AppendOutcome.single(statement);
        }
    }

    private static AppendOutcome resendCheck(Connection connection, StreamId stream, List<NewEvent> batch) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(RESEND_CHECK)) {
            statement.setString(1, stream.value());
            statement.setArray(2, connection.createArrayOf("uuid", batch.stream().map(NewEvent::eventId).toArray(UUID[]::new)));
            statement.setArray(3, connection.createArrayOf("text", batch.stream().map(NewEvent::type).toArray()));
            statement.setArray(4, connection.createArrayOf("text", batch.stream().map(NewEvent::data).toArray()));
            statement.setArray(5, connection.createArrayOf("text", batch.stream().map(NewEvent::metadata).toArray()));
            statement.setArray(6, connection.createArrayOf("int4", batch.stream().map(NewEvent::schemaVersion).toArray()));
            AppendOutcome outcome = AppendOutcome.single(statement);
            return "absent".equals(outcome.kind()) ? outcome.as("conflict") : outcome;
        }
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
                    // The left join's row without an event has a null id; the id is read (and parsed) once.
                    UUID eventId = rows.getObject(2, UUID.class);
                    if (eventId != null) {
                        events.add(new RecordedEvent(eventId, stream.value(), rows.getString(3),
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
                    events.add(EventRows.recordedEvent(rows));
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
        List<String> categories = filter.categories().stream().sorted().toList();
        if (!filter.types().isEmpty()) {
            List<String> types = filter.types().stream().sorted().toList();
            String branch = FEED_TYPE_BRANCH.formatted(categories.isEmpty() ? "" : "AND e.category = ANY (?)");
            statement = connection.prepareStatement(merged(branch, types.size()));
            int index = 1;
            for (String type : types) {
                statement.setString(index++, type);
                statement.setLong(index++, after);
                if (!categories.isEmpty()) {
                    statement.setArray(index++, connection.createArrayOf("text", categories.toArray()));
                }
                statement.setInt(index++, limit);
            }
            statement.setInt(index, limit);
        } else if (categories.size() == 1) {
            statement = connection.prepareStatement(FEED_BY_CATEGORY);
            statement.setString(1, categories.getFirst());
            statement.setLong(2, after);
            statement.setInt(3, limit);
        } else if (!categories.isEmpty()) {
            statement = connection.prepareStatement(merged(FEED_CATEGORY_BRANCH, categories.size()));
            int index = 1;
            for (String category : categories) {
                statement.setString(index++, category);
                statement.setLong(index++, after);
                statement.setInt(index++, limit);
            }
            statement.setInt(index, limit);
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

    /** Branches merged in position order in one statement: one snapshot, one bound, for all of them. */
    private static String merged(String branch, int count) {
        return "SELECT * FROM (" + String.join("\nUNION ALL\n", Collections.nCopies(count, branch))
                + ") page\nORDER BY position\nLIMIT ?";
    }

    @Override
    public Optional<RecordedEvent> findEvent(StreamId stream, UUID eventId) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(FIND_EVENT)) {
            statement.setObject(1, eventId);
            statement.setString(2, stream.value());
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(EventRows.recordedEvent(rows)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw PostgresFailures.translate("look up event " + eventId + " in stream " + stream, e);
        }
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

    @Override
    public StreamListPage listStreams(StreamListQuery query) {
        return listing.list(query);
    }
}
