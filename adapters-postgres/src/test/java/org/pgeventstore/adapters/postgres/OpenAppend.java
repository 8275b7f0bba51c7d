package org.pgeventstore.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * An append through {@code append_events} (expected version any) in a transaction of its own that
 * stays open until {@link #commit()} or {@link #rollback()}: a writer that commits late, after
 * transactions that began after it.
 */
public final class OpenAppend implements AutoCloseable {

    private static final String APPEND = "SELECT outcome FROM append_events(?, -1, ?, ?, ?, ?, ?)";

    private final Connection connection;
    private final List<UUID> ids = new ArrayList<>();

    public OpenAppend(DataSource pool, String stream, int events) throws SQLException {
        connection = pool.getConnection();
        connection.setAutoCommit(false);
        String[] types = new String[events];
        String[] data = new String[events];
        String[] metadata = new String[events];
        for (int i = 0; i < events; i++) {
            ids.add(UUID.randomUUID());
            types[i] = "Held";
            data[i] = "{\"i\": " + i + "}";
            metadata[i] = "{}";
        }
        try (PreparedStatement statement = connection.prepareStatement(APPEND)) {
            statement.setString(1, stream);
            statement.setArray(2, connection.createArrayOf("uuid", ids.toArray()));
            statement.setArray(3, connection.createArrayOf("text", types));
            statement.setArray(4, connection.createArrayOf("text", data));
            statement.setArray(5, connection.createArrayOf("text", metadata));
            statement.setArray(6, connection.createArrayOf("int4", Collections.nCopies(events, 1).toArray()));
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                assertThat(rows.getString(1)).isEqualTo("appended");
            }
        }
    }

    /** The ids of the events this append holds. */
    public List<UUID> ids() {
        return List.copyOf(ids);
    }

    public List<UUID> commit() throws SQLException {
        connection.commit();
        return ids();
    }

    public void rollback() throws SQLException {
        connection.rollback();
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
