package org.pgeventstore.adapters.postgres.projection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import javax.sql.DataSource;
import org.pgeventstore.adapters.postgres.PostgresFailures;
import org.pgeventstore.application.eventstore.RecordedEvent;
import org.pgeventstore.application.projection.CheckpointMoved;
import org.pgeventstore.application.projection.ParkedStream;
import org.pgeventstore.application.projection.ParkedStreams;
import org.pgeventstore.application.projection.ProjectionEventFailed;
import org.pgeventstore.application.projection.ProjectionState;
import org.pgeventstore.application.projection.ProjectionStatus;
import org.pgeventstore.application.projection.ProjectionStore;

/**
 * The checkpoint of one projection in {@code projection_positions}, whose row also names the live
 * table of its read model, and its parking place ({@code projection_parked_events}), for any read
 * model that a {@link ReadModelWriter} writes. {@link #apply} is one JDBC transaction: lock the
 * checkpoint row, check it is where the batch was read from, let the writer load, fold and write
 * the batch's rows in the live table, move the checkpoint, commit. Two runners serialise on the
 * checkpoint row and the second one's batch is refused whole ({@link CheckpointMoved}); a
 * rebuild's swap takes the same row lock, so a batch writes to the table that is live when it
 * commits.
 *
 * <p>A batch parks the events of parked streams in the same transaction, and resumes and skips
 * lock the checkpoint row first too, so all of them are serialised with the batches.
 */
public final class PostgresProjectionCheckpoints implements ProjectionStore, ParkedStreams {

    /** Waiting events replayed per transaction of a resume. */
    private static final int RESUME_PAGE = 500;

    private static final String ENSURE_CHECKPOINT = """
            INSERT INTO projection_positions (name, read_model) VALUES (?, ?) ON CONFLICT (name) DO NOTHING
            """;
    private static final String READ_CHECKPOINT = """
            SELECT position, status, failed_position, last_error FROM projection_positions WHERE name = ?
            """;
    private static final String LOCK_CHECKPOINT = """
            SELECT position, read_model FROM projection_positions WHERE name = ? FOR UPDATE
            """;
    /*
     * A batch's commit does not wait for its WAL flush (synchronous_commit off for this transaction
     * only). The batch is derived from events that are durable already: a crash can lose the last
     * batches committed, rows and checkpoint together, never one without the other, and the runner
     * applies them again from the checkpoint it finds. Every other write of a checkpoint (parks,
     * resumes, skips, a rebuild's swap) and every append stays synchronous, and each of their
     * flushes makes the batches committed before it durable too.
     */
    private static final String LOCK_CHECKPOINT_FOR_BATCH = """
            SELECT position, read_model, set_config('synchronous_commit', 'off', true)
              FROM projection_positions WHERE name = ? FOR UPDATE
            """;
    private static final String MOVE_CHECKPOINT = """
            UPDATE projection_positions SET position = ?, updated_at = now() WHERE name = ?
            """;
    private static final String MARK_FAILED = """
            UPDATE projection_positions
               SET status = 'failed', failed_position = ?, last_error = ?, updated_at = now()
             WHERE name = ? AND position = ?
            """;
    private static final String RESUME = """
            UPDATE projection_positions
               SET status = 'running', failed_position = NULL, last_error = NULL, updated_at = now()
             WHERE name = ? AND status IN ('failed', 'paused')
            """;

    private final DataSource dataSource;
    private final String name;
    private final String operatorsProjection;
    private final ReadModelTables tables;
    private final ReadModelWriter writer;
    private final PostgresParkingPlace parking;
    private final BeforeCommit beforeCommit;
    private volatile boolean checkpointExists;

    /** Runs inside {@link #apply}'s transaction right before it commits; lets tests crash a runner there. */
    @FunctionalInterface
    public interface BeforeCommit {
        BeforeCommit NOTHING = connection -> { };

        void run(Connection connection) throws SQLException;
    }

    /**
     * @param name the checkpoint's name in {@code projection_positions} ({@code [a-z0-9_-]})
     * @param projection the projection operators know it by (see {@link ProjectionStore#projection()})
     * @param tables the read model's tables, named by this checkpoint
     */
    public PostgresProjectionCheckpoints(DataSource dataSource, String name, String projection, ReadModelTables tables,
                                         ReadModelWriter writer, BeforeCommit beforeCommit) {
        this.dataSource = dataSource;
        this.name = name;
        this.operatorsProjection = projection;
        this.tables = tables;
        this.writer = writer;
        this.parking = new PostgresParkingPlace(dataSource, name, projection);
        this.beforeCommit = beforeCommit;
    }

    /** Deletes the checkpoint {@code name} (and so starts it again at position 0): for benchmarks and tests. */
    public static void reset(DataSource dataSource, String name) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement reset = connection.prepareStatement("DELETE FROM projection_positions WHERE name = ?")) {
            reset.setString(1, name);
            reset.executeUpdate();
        } catch (SQLException e) {
            throw PostgresFailures.translate("reset the checkpoint of " + name, e);
        }
    }

    /** The position of checkpoint {@code name}, 0 when it has never run, without creating it. */
    public static long position(DataSource dataSource, String name) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT position FROM projection_positions WHERE name = ?")) {
            statement.setString(1, name);
            try (ResultSet row = statement.executeQuery()) {
                return row.next() ? row.getLong(1) : 0;
            }
        } catch (SQLException e) {
            throw PostgresFailures.translate("read the checkpoint of projection " + name, e);
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String projection() {
        return operatorsProjection;
    }

    @Override
    public ProjectionState state() {
        try (Connection connection = dataSource.getConnection()) {
            ensureCheckpoint(connection);
            try (PreparedStatement statement = connection.prepareStatement(READ_CHECKPOINT)) {
                statement.setString(1, name);
                try (ResultSet row = statement.executeQuery()) {
                    row.next();
                    long failed = row.getLong(3);
                    OptionalLong failedPosition = row.wasNull() ? OptionalLong.empty() : OptionalLong.of(failed);
                    return new ProjectionState(name, row.getLong(1), ProjectionStatus.fromWords(row.getString(2)),
                            failedPosition, row.getString(4));
                }
            }
        } catch (SQLException e) {
            throw PostgresFailures.translate("read the checkpoint of projection " + name, e);
        }
    }

    private Void ensureCheckpoint(Connection connection) throws SQLException {
        if (checkpointExists) {
            return null;
        }
        try (PreparedStatement statement = connection.prepareStatement(ENSURE_CHECKPOINT)) {
            statement.setString(1, name);
            statement.setString(2, tables.live(null));
            statement.executeUpdate();
        }
        checkpointExists = true;
        return null;
    }

    @Override
    public ApplyResult apply(long expectedPosition, List<RecordedEvent> events, long nextPosition) {
        return inTransaction("apply a batch of projection " + name, connection -> {
            ApplyResult result = applyInTransaction(connection, expectedPosition, events, nextPosition);
            beforeCommit.run(connection);
            return result;
        });
    }

    private ApplyResult applyInTransaction(Connection connection, long expectedPosition, List<RecordedEvent> events,
                                           long nextPosition) throws SQLException {
        String table = lockCheckpoint(connection, LOCK_CHECKPOINT_FOR_BATCH, OptionalLong.of(expectedPosition));
        PostgresParkingPlace.Holds holds = parking.holdsFor(connection, events);
        List<RecordedEvent> handled = new ArrayList<>();
        List<RecordedEvent> behind = new ArrayList<>();
        for (RecordedEvent event : events) {
            if (!holds.parkedStreams().contains(event.streamId())) {
                handled.add(event);
            } else if (!holds.skippedPositions().contains(event.position())) {
                // A skipped event behind a parked head is left out: the resume honours the skip in order.
                behind.add(event);
            }
        }
        ReadModelWriter.Batch batch = writer.load(connection, table, handled);
        int applied = 0;
        int alreadyApplied = 0;
        for (RecordedEvent event : handled) {
            if (holds.skippedPositions().contains(event.position())) {
                batch.skip(event);
            } else if (batch.apply(event)) {
                applied++;
            } else {
                alreadyApplied++;
            }
        }
        batch.write(connection);
        parking.park(connection, behind, null);
        moveCheckpoint(connection, nextPosition);
        return new ApplyResult(applied, alreadyApplied, behind.size());
    }

    /**
     * Locks the checkpoint row, so that batches, resumes, skips and a rebuild's swap of this
     * projection never overlap, and answers the live table.
     *
     * @throws CheckpointMoved when {@code expectedPosition} is given and the checkpoint is elsewhere
     */
    private String lockCheckpoint(Connection connection, OptionalLong expectedPosition) throws SQLException {
        return lockCheckpoint(connection, LOCK_CHECKPOINT, expectedPosition);
    }

    private String lockCheckpoint(Connection connection, String lock, OptionalLong expectedPosition)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(lock)) {
            statement.setString(1, name);
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    throw new IllegalStateException("projection " + name + " has no checkpoint row");
                }
                long actual = row.getLong(1);
                if (expectedPosition.isPresent() && actual != expectedPosition.getAsLong()) {
                    throw new CheckpointMoved(name, expectedPosition.getAsLong(), actual);
                }
                return tables.live(row.getString(2));
            }
        }
    }

    private void moveCheckpoint(Connection connection, long position) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(MOVE_CHECKPOINT)) {
            statement.setLong(1, position);
            statement.setString(2, name);
            statement.executeUpdate();
        }
    }

    @Override
    public void markFailed(long expectedPosition, RecordedEvent event, String error) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(MARK_FAILED)) {
            statement.setLong(1, event.position());
            statement.setString(2, error);
            statement.setString(3, name);
            statement.setLong(4, expectedPosition);
            if (statement.executeUpdate() == 0) {
                throw new CheckpointMoved(name, expectedPosition, state().position());
            }
        } catch (SQLException e) {
            throw PostgresFailures.translate("mark projection " + name + " failed", e);
        }
    }

    @Override
    public void park(long expectedPosition, RecordedEvent event, String error) {
        inTransaction("park a stream of projection " + name, connection -> {
            lockCheckpoint(connection, OptionalLong.of(expectedPosition));
            parking.park(connection, List.of(event), error);
            moveCheckpoint(connection, event.position());
            return null;
        });
    }

    @Override
    public void resume() {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(RESUME)) {
            statement.setString(1, name);
            statement.executeUpdate();
        } catch (SQLException e) {
            throw PostgresFailures.translate("resume projection " + name, e);
        }
    }

    @Override
    public long count() {
        return parking.count();
    }

    @Override
    public List<ParkedStream> list(int limit) {
        return parking.list(limit);
    }

    @Override
    public Optional<ParkedStream> find(String streamId) {
        return parking.find(streamId);
    }

    @Override
    public List<Long> skipped(String streamId) {
        return parking.skipped(streamId);
    }

    /** Replays one page of a parked stream per transaction, so a long one never holds the checkpoint for long. */
    @Override
    public Resumed resume(String streamId, String resumedBy) {
        int applied = 0;
        for (boolean first = true; ; first = false) {
            boolean firstPage = first;
            ResumedPage page = inTransaction("resume stream " + streamId + " of projection " + name,
                    connection -> resumePage(connection, streamId, resumedBy, firstPage));
            applied += page.applied();
            if (!page.more()) {
                return new Resumed(streamId, applied, parking.find(streamId));
            }
        }
    }

    private record ResumedPage(int applied, boolean more) {
    }

    private ResumedPage resumePage(Connection connection, String streamId, String resumedBy, boolean firstPage)
            throws SQLException {
        String table = lockCheckpoint(connection, OptionalLong.empty());
        List<PostgresParkingPlace.Replay> replays = parking.replay(connection, streamId, RESUME_PAGE);
        if (replays.isEmpty()) {
            if (firstPage) {
                throw new NotParked(operatorsProjection, streamId);
            }
            return new ResumedPage(0, false);
        }
        ReadModelWriter.Batch batch;
        try {
            batch = writer.load(connection, table, replays.stream().map(PostgresParkingPlace.Replay::event).toList());
        } catch (ProjectionEventFailed notOfThisReadModel) {
            parking.recordError(connection, notOfThisReadModel.event().position(), notOfThisReadModel.error());
            return new ResumedPage(0, false);
        }
        List<Long> released = new ArrayList<>();
        boolean failed = false;
        for (PostgresParkingPlace.Replay replay : replays) {
            try {
                if (replay.skipped()) {
                    batch.skip(replay.event());
                } else {
                    batch.apply(replay.event());
                    released.add(replay.event().position());
                }
            } catch (ProjectionEventFailed stillFailing) {
                parking.recordError(connection, replay.event().position(), stillFailing.error());
                failed = true;
                break;
            }
        }
        batch.write(connection);
        parking.applied(connection, released, resumedBy);
        return new ResumedPage(released.size(), !failed && replays.size() == RESUME_PAGE);
    }

    @Override
    public Skipped skip(String streamId, long position, Skip skip) {
        return inTransaction("skip an event of stream " + streamId + " of projection " + name, connection -> {
            String table = lockCheckpoint(connection, OptionalLong.empty());
            ParkedStream parked = parking.find(connection, streamId)
                    .orElseThrow(() -> new NotParked(operatorsProjection, streamId));
            if (parked.head().position() != position) {
                throw new HeadMoved(streamId, position, parked.head().position());
            }
            parking.skipped(connection, position, skip);
            writer.moveRowPast(connection, table, streamId, parked.head().version());
            return new Skipped(parked.head(), skip, parking.find(connection, streamId));
        });
    }

    private <T> T inTransaction(String action, Transactions.Work<T> work) {
        return Transactions.inTransaction(dataSource, action, this::ensureCheckpoint, work);
    }
}
