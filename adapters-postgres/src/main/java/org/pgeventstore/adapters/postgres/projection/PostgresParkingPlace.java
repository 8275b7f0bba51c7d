package org.pgeventstore.adapters.postgres.projection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.pgeventstore.adapters.postgres.EventRows;
import org.pgeventstore.adapters.postgres.PostgresFailures;
import org.pgeventstore.application.eventstore.RecordedEvent;
import org.pgeventstore.application.projection.ParkedEvent;
import org.pgeventstore.application.projection.ParkedStream;
import org.pgeventstore.application.projection.ParkedStreams;

/**
 * The parking place of one projection in {@code projection_parked_events}: the statements, each
 * run on the caller's connection inside the caller's transaction, which has locked the
 * projection's checkpoint row first. That lock is what serialises the runner's batches, resumes
 * and skips of one projection, so none of these statements takes a lock of its own.
 */
final class PostgresParkingPlace {

    private static final String PARKED_AMONG = """
            SELECT DISTINCT stream_id FROM projection_parked_events
             WHERE projection = ? AND outcome IS NULL AND stream_id = ANY (?)
            """;
    private static final String SKIPPED_AMONG = """
            SELECT position FROM projection_parked_events
             WHERE projection = ? AND outcome = 'skipped' AND position = ANY (?)
            """;
    private static final String PARK = """
            INSERT INTO projection_parked_events (projection, position, event_id, stream_id, version, type, error)
            SELECT ?, p.position, p.event_id, p.stream_id, p.version, p.type, p.error
              FROM unnest(?::bigint[], ?::uuid[], ?::text[], ?::bigint[], ?::text[], ?::text[])
                   AS p(position, event_id, stream_id, version, type, error)
            ON CONFLICT (projection, position) DO NOTHING
            """;
    /*
     * A stream's waiting events from its head on, with the events an operator skipped among them
     * (a rebuild parks a stream again behind an event that was skipped after it), in order.
     */
    private static final String REPLAY = """
            SELECT %s, p.outcome
              FROM projection_parked_events p
              JOIN events e ON e.position = p.position
             WHERE p.stream_id = ?
               AND p.position >= (SELECT min(position) FROM projection_parked_events
                                   WHERE projection = ? AND stream_id = ? AND outcome IS NULL)
               AND ((p.projection = ? AND p.outcome IS NULL) OR (p.projection = ? AND p.outcome = 'skipped'))
             ORDER BY p.position
             LIMIT ?
            """.formatted(EventRows.COLUMNS);
    private static final String RELEASE = """
            UPDATE projection_parked_events
               SET outcome = ?, resolved_at = coalesce(?, now()), resolved_by = ?, reason = ?
             WHERE projection = ? AND position = ANY (?) AND outcome IS NULL
            """;
    private static final String RECORD_ERROR = """
            UPDATE projection_parked_events SET error = ? WHERE projection = ? AND position = ?
            """;
    private static final String STREAMS = """
            SELECT h.position, h.stream_id, h.version, h.type, h.event_id, h.error, h.parked_at, w.waiting
              FROM (SELECT stream_id, min(position) AS head, count(*) AS waiting
                      FROM projection_parked_events
                     WHERE projection = ? AND outcome IS NULL AND (?::text IS NULL OR stream_id = ?)
                     GROUP BY stream_id) w
              JOIN projection_parked_events h ON h.projection = ? AND h.position = w.head
             ORDER BY h.position
             LIMIT ?
            """;
    private static final String SKIPPED_OF_STREAM = """
            SELECT position FROM projection_parked_events
             WHERE projection = ? AND stream_id = ? AND outcome = 'skipped'
             ORDER BY position
            """;
    private static final String COUNT = """
            SELECT count(DISTINCT stream_id) FROM projection_parked_events WHERE projection = ? AND outcome IS NULL
            """;

    private final DataSource dataSource;
    private final String name;
    private final String projection;

    /**
     * @param name the checkpoint whose events are parked here
     * @param projection the projection whose operators' skips apply (a rebuild's is the live one)
     */
    PostgresParkingPlace(DataSource dataSource, String name, String projection) {
        this.dataSource = dataSource;
        this.name = name;
        this.projection = projection;
    }

    /** What the parking place holds for a batch: its parked streams, and its events an operator skipped. */
    record Holds(Set<String> parkedStreams, Set<Long> skippedPositions) {
        static final Holds NONE = new Holds(Set.of(), Set.of());
    }

    Holds holdsFor(Connection connection, List<RecordedEvent> events) throws SQLException {
        Set<String> streams = new LinkedHashSet<>();
        List<Long> positions = new ArrayList<>();
        for (RecordedEvent event : events) {
            streams.add(event.streamId());
            positions.add(event.position());
        }
        Set<String> parked = new HashSet<>();
        try (PreparedStatement statement = connection.prepareStatement(PARKED_AMONG)) {
            statement.setString(1, name);
            statement.setArray(2, connection.createArrayOf("text", streams.toArray()));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    parked.add(rows.getString(1));
                }
            }
        }
        Set<Long> skipped = new HashSet<>();
        // A live projection's skipped events are all behind its checkpoint; a rebuild meets them again.
        if (!projection.equals(name)) {
            try (PreparedStatement statement = connection.prepareStatement(SKIPPED_AMONG)) {
                statement.setString(1, projection);
                statement.setArray(2, connection.createArrayOf("int8", positions.toArray()));
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        skipped.add(rows.getLong(1));
                    }
                }
            }
        }
        return parked.isEmpty() && skipped.isEmpty() ? Holds.NONE : new Holds(parked, skipped);
    }

    /** Parks {@code events} with {@code error}: null for events that wait behind their stream's head. */
    void park(Connection connection, List<RecordedEvent> events, String error) throws SQLException {
        if (events.isEmpty()) {
            return;
        }
        int size = events.size();
        Object[] positions = new Object[size];
        Object[] ids = new Object[size];
        Object[] streams = new Object[size];
        Object[] versions = new Object[size];
        Object[] types = new Object[size];
        Object[] errors = new Object[size];
        for (int i = 0; i < size; i++) {
            RecordedEvent event = events.get(i);
            positions[i] = event.position();
            ids[i] = event.eventId();
            streams[i] = event.streamId();
            versions[i] = event.version();
            types[i] = event.type();
            errors[i] = error;
        }
        try (PreparedStatement statement = connection.prepareStatement(PARK)) {
            statement.setString(1, name);
            statement.setArray(2, connection.createArrayOf("int8", positions));
            statement.setArray(3, connection.createArrayOf("uuid", ids));
            statement.setArray(4, connection.createArrayOf("text", streams));
            statement.setArray(5, connection.createArrayOf("int8", versions));
            statement.setArray(6, connection.createArrayOf("text", types));
            statement.setArray(7, connection.createArrayOf("text", errors));
            statement.executeUpdate();
        }
    }

    /** A parked event to replay, as stored in the log; {@code skipped} when an operator skipped it. */
    record Replay(RecordedEvent event, boolean skipped) {
    }

    /** The first {@code limit} events to replay of {@code streamId}, from its head on; none when it is not parked. */
    List<Replay> replay(Connection connection, String streamId, int limit) throws SQLException {
        List<Replay> replays = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(REPLAY)) {
            statement.setString(1, streamId);
            statement.setString(2, name);
            statement.setString(3, streamId);
            statement.setString(4, name);
            statement.setString(5, projection);
            statement.setInt(6, limit);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    replays.add(new Replay(EventRows.recordedEvent(rows), "skipped".equals(rows.getString(10))));
                }
            }
        }
        return replays;
    }

    /** Marks waiting events applied (by a resume). */
    void applied(Connection connection, List<Long> positions, String by) throws SQLException {
        release(connection, "applied", positions, by, null, null);
    }

    /** Marks the head skipped, with who, when and why. */
    void skipped(Connection connection, long position, ParkedStreams.Skip skip) throws SQLException {
        release(connection, "skipped", List.of(position), skip.by(), skip.reason(),
                skip.at().atOffset(ZoneOffset.UTC));
    }

    private void release(Connection connection, String outcome, List<Long> positions, String by, String reason,
                         OffsetDateTime at) throws SQLException {
        if (positions.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(RELEASE)) {
            statement.setString(1, outcome);
            statement.setObject(2, at, java.sql.Types.TIMESTAMP_WITH_TIMEZONE);
            statement.setString(3, by);
            statement.setString(4, reason);
            statement.setString(5, name);
            statement.setArray(6, connection.createArrayOf("int8", positions.toArray()));
            statement.executeUpdate();
        }
    }

    /** A waiting event failed again on a resume: it is the stream's head now, with this error. */
    void recordError(Connection connection, long position, String error) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(RECORD_ERROR)) {
            statement.setString(1, error);
            statement.setString(2, name);
            statement.setLong(3, position);
            statement.executeUpdate();
        }
    }

    long count() {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(COUNT)) {
            statement.setString(1, name);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw PostgresFailures.translate("count the parked streams of projection " + name, e);
        }
    }

    List<Long> skipped(String streamId) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(SKIPPED_OF_STREAM)) {
            statement.setString(1, projection);
            statement.setString(2, streamId);
            List<Long> positions = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    positions.add(rows.getLong(1));
                }
            }
            return positions;
        } catch (SQLException e) {
            throw PostgresFailures.translate("read the skipped events of stream " + streamId, e);
        }
    }

    List<ParkedStream> list(int limit) {
        try (Connection connection = dataSource.getConnection()) {
            return streams(connection, null, limit);
        } catch (SQLException e) {
            throw PostgresFailures.translate("list the parked streams of projection " + name, e);
        }
    }

    Optional<ParkedStream> find(String streamId) {
        try (Connection connection = dataSource.getConnection()) {
            return find(connection, streamId);
        } catch (SQLException e) {
            throw PostgresFailures.translate("read parked stream " + streamId + " of projection " + name, e);
        }
    }

    Optional<ParkedStream> find(Connection connection, String streamId) throws SQLException {
        return streams(connection, streamId, 1).stream().findFirst();
    }

    private List<ParkedStream> streams(Connection connection, String streamId, int limit) throws SQLException {
        List<ParkedStream> streams = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(STREAMS)) {
            statement.setString(1, name);
            statement.setString(2, streamId);
            statement.setString(3, streamId);
            statement.setString(4, name);
            statement.setInt(5, limit);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    ParkedEvent head = new ParkedEvent(rows.getLong(1), rows.getString(2), rows.getLong(3),
                            rows.getString(4), rows.getObject(5, UUID.class), rows.getString(6),
                            rows.getObject(7, OffsetDateTime.class).toInstant());
                    streams.add(new ParkedStream(head.streamId(), head, rows.getLong(8)));
                }
            }
        }
        return streams;
    }
}
