package org.pgeventstore.adapters.postgres.projection;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.pgeventstore.application.eventstore.RecordedEvent;
import org.pgeventstore.application.projection.ProjectionEventFailed;

/**
 * The rows of one read model, written by {@link PostgresProjectionCheckpoints} inside the
 * transaction that moves the checkpoint, on the connection it hands over: a writer never commits,
 * rolls back or opens a connection of its own, so a batch's rows and its checkpoint are one atomic
 * step. {@code table} is always the live one of {@link ReadModelTables} (or the one a rebuild fills).
 */
public interface ReadModelWriter {

    /**
     * Loads what {@code events} touch from {@code table}, to fold them into it.
     *
     * @throws ProjectionEventFailed when an event does not belong to this read model (no row key)
     */
    Batch load(Connection connection, String table, List<RecordedEvent> events) throws SQLException;

    /**
     * After an operator skipped the event at {@code version} of a parked stream: the stream's row
     * moves past it unchanged, if it was right before it.
     */
    void moveRowPast(Connection connection, String table, String streamId, long version) throws SQLException;

    /** A statement deleting up to {@code ?} rows of {@code table}, for a rebuild to empty it a page at a time. */
    default String deletePage(String table) {
        return "DELETE FROM " + table + " WHERE ctid IN (SELECT ctid FROM " + table + " LIMIT ?)";
    }

    /** The rows one batch touches, in memory until {@link #write}. */
    interface Batch {

        /**
         * Folds {@code event} in.
         *
         * @return false when the row had already seen the event's version (nothing changed)
         * @throws ProjectionEventFailed when the read model cannot take the event
         */
        boolean apply(RecordedEvent event);

        /**
         * An event an operator skipped: the row moves past it unchanged.
         *
         * @throws ProjectionEventFailed when the row does not follow
         */
        void skip(RecordedEvent event);

        /** Writes the changed rows, refusing (by throwing) rows that changed since {@link #load}. */
        void write(Connection connection) throws SQLException;
    }
}
