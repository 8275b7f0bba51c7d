package org.pgeventstore.adapters.postgres;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.pgeventstore.application.eventstore.RecordedEvent;

/** How a stored event is read back from a row of {@code events}, for every adapter class that reads events. */
public final class EventRows {

    /** The columns {@link #recordedEvent} reads, of {@code events e}. */
    public static final String COLUMNS =
            "e.event_id, e.stream_id, e.type, e.version, e.position, e.data::text, e.metadata::text, e.occurred_at, "
                    + "e.schema_version";

    private EventRows() {
    }

    /** The event of a row whose first columns are {@link #COLUMNS}. */
    public static RecordedEvent recordedEvent(ResultSet rows) throws SQLException {
        return new RecordedEvent(rows.getObject(1, UUID.class), rows.getString(2), rows.getString(3), rows.getInt(9),
                rows.getLong(4), rows.getLong(5), rows.getString(6), rows.getString(7),
                rows.getObject(8, OffsetDateTime.class).toInstant());
    }
}
