package org.pgeventstore.adapters.postgres;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.pgeventstore.application.eventstore.AppendResult;
import org.pgeventstore.application.eventstore.ConcurrencyConflict;
import org.pgeventstore.application.eventstore.DuplicateEventId;
import org.pgeventstore.application.eventstore.ExpectedVersion;
import org.pgeventstore.application.eventstore.StreamId;

/** One row of {@code append_events} or {@code events_resend_check}: what {@link PostgresEventStore#append} decides on. */
record AppendOutcome(String kind, long currentVersion, long firstVersion, long lastVersion,
                     long firstPosition, long lastPosition, UUID duplicateEventId, Instant occurredAt,
                     boolean contentDiffers) {

    static AppendOutcome single(PreparedStatement statement) throws SQLException {
        try (ResultSet rows = statement.executeQuery()) {
            if (!rows.next()) {
                throw new SQLException("the append function returned no row");
            }
            OffsetDateTime occurredAt = rows.getObject(8, OffsetDateTime.class);
            return new AppendOutcome(rows.getString(1), rows.getLong(2), rows.getLong(3), rows.getLong(4),
                    rows.getLong(5), rows.getLong(6), rows.getObject(7, UUID.class),
                    occurredAt == null ? null : occurredAt.toInstant(), rows.getBoolean(9));
        }
    }

    AppendOutcome as(String newKind) {
        return new AppendOutcome(newKind, currentVersion, firstVersion, lastVersion, firstPosition, lastPosition,
                duplicateEventId, occurredAt, contentDiffers);
    }

    AppendResult result(StreamId stream, boolean replayed) {
        return new AppendResult(stream.value(), firstVersion, lastVersion, firstPosition, lastPosition, occurredAt,
                replayed);
    }

    /** The append's result, or the exception that says why it stored nothing. */
    AppendResult toResult(StreamId stream, ExpectedVersion expected) {
        return switch (kind()) {
            case "appended" -> result(stream, false);
            case "replayed" -> result(stream, true);
            case "duplicate" -> throw new DuplicateEventId(stream.value(), duplicateEventId(),
                    contentDiffers());
            case "conflict" -> throw new ConcurrencyConflict(stream.value(), expected, currentVersion());
            default -> throw new IllegalStateException("append_events answered an unknown outcome: " + kind());
        };
    }
}
