package org.pgeventstore.adapters.postgres.relay;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.pgeventstore.adapters.postgres.PostgresFailures;
import org.pgeventstore.application.projection.CheckpointMoved;
import org.pgeventstore.application.relay.RelayCheckpoint;

/**
 * A relay's checkpoint as a row of {@code projection_positions}, the table of the projections'
 * checkpoints: a relay is a projection whose side effect is a publish, so it needs the same
 * position and nothing of a read model ({@code read_model} stays null). A move is one guarded
 * {@code UPDATE ... WHERE position = expected}, so two relays that overlap never move it backwards.
 */
public final class PostgresRelayCheckpoint implements RelayCheckpoint {

    private static final String ENSURE = """
            INSERT INTO projection_positions (name) VALUES (?) ON CONFLICT (name) DO NOTHING
            """;
    private static final String READ = "SELECT position FROM projection_positions WHERE name = ?";
    private static final String MOVE = """
            UPDATE projection_positions SET position = ?, updated_at = now() WHERE name = ? AND position = ?
            """;

    private final DataSource dataSource;
    private final String name;
    private volatile boolean exists;

    /** @param name the checkpoint's name, {@code [a-z0-9_-]}, distinct from every projection's */
    public PostgresRelayCheckpoint(DataSource dataSource, String name) {
        if (!name.matches("[a-z0-9_-]{1,100}")) {
            throw new IllegalArgumentException("a relay name is 1..100 characters of a-z 0-9 _ -, was \"" + name + "\"");
        }
        this.dataSource = dataSource;
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long position() {
        try (Connection connection = dataSource.getConnection()) {
            ensure(connection);
            try (PreparedStatement statement = connection.prepareStatement(READ)) {
                statement.setString(1, name);
                try (ResultSet row = statement.executeQuery()) {
                    row.next();
                    return row.getLong(1);
                }
            }
        } catch (SQLException e) {
            throw PostgresFailures.translate("read the checkpoint of relay " + name, e);
        }
    }

    @Override
    public void moveTo(long expected, long next) {
        try (Connection connection = dataSource.getConnection()) {
            ensure(connection);
            try (PreparedStatement statement = connection.prepareStatement(MOVE)) {
                statement.setLong(1, next);
                statement.setString(2, name);
                statement.setLong(3, expected);
                if (statement.executeUpdate() == 1) {
                    return;
                }
            }
        } catch (SQLException e) {
            throw PostgresFailures.translate("move the checkpoint of relay " + name, e);
        }
        throw new CheckpointMoved(name, expected, position());
    }

    private void ensure(Connection connection) throws SQLException {
        if (exists) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(ENSURE)) {
            statement.setString(1, name);
            statement.executeUpdate();
        }
        exists = true;
    }
}
