package org.pgeventstore.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.pgeventstore.application.eventstore.StreamId;

/**
 * {@code append_events} called inside a caller's transaction: it must be the transaction's first
 * write, or it would take positions from a transaction id older than events committed since the
 * transaction began (the feed would hand out a stream's version 2 before its version 1), and two
 * appends in one transaction would reuse positions.
 */
class AppendTransactionTest {

    private static final String APPEND = "SELECT outcome FROM append_events(?, -1, ?, ?, ?, ?, ?)";

    private final PostgresTestDatabase database = PostgresTestDatabase.shared();
    private final String category = "tx" + UUID.randomUUID().toString().replace("-", "");

    private static String append(Connection connection, String stream) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(APPEND)) {
            statement.setString(1, stream);
            statement.setArray(2, connection.createArrayOf("uuid", new Object[] {UUID.randomUUID()}));
            statement.setArray(3, connection.createArrayOf("text", new Object[] {"Happened"}));
            statement.setArray(4, connection.createArrayOf("text", new Object[] {"{}"}));
            statement.setArray(5, connection.createArrayOf("text", new Object[] {"{}"}));
            statement.setArray(6, connection.createArrayOf("int4", new Object[] {1}));
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getString(1);
            }
        }
    }

    private static void takeTransactionId(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_current_xact_id()")) {
            statement.executeQuery().close();
        }
    }

    @Test
    @DisplayName("an append after another write of the same transaction is refused with a clear error, and stores nothing")
    void afterAnotherWrite() throws Exception {
        String stream = category + "-1";
        try (Connection connection = database.dataSource().getConnection()) {
            connection.setAutoCommit(false);
            try {
                takeTransactionId(connection);
                assertThatThrownBy(() -> append(connection, stream))
                        .isInstanceOfSatisfying(SQLException.class, refused -> {
                            assertThat(refused.getSQLState()).isEqualTo("25001");
                            assertThat(refused.getMessage()).contains("must be the first write of its transaction");
                        });
            } finally {
                connection.rollback();
                connection.setAutoCommit(true);
            }
        }
        assertThat(new PostgresEventStore(database.dataSource()).currentVersion(StreamId.of(stream))).isZero();
    }

    @Test
    @DisplayName("a second append in one transaction is refused; the first commits alone")
    void twoAppendsInOneTransaction() throws Exception {
        String stream = category + "-2";
        try (Connection connection = database.dataSource().getConnection()) {
            connection.setAutoCommit(false);
            try {
                assertThat(append(connection, stream)).isEqualTo("appended");
                assertThatThrownBy(() -> append(connection, category + "-3"))
                        .isInstanceOfSatisfying(SQLException.class,
                                refused -> assertThat(refused.getSQLState()).isEqualTo("25001"));
            } finally {
                connection.rollback();
                connection.setAutoCommit(true);
            }
            connection.setAutoCommit(false);
            try {
                assertThat(append(connection, stream)).isEqualTo("appended");
                connection.commit();
            } finally {
                connection.setAutoCommit(true);
            }
        }
        var store = new PostgresEventStore(database.dataSource());
        assertThat(store.currentVersion(StreamId.of(stream))).isEqualTo(1);
        assertThat(store.currentVersion(StreamId.of(category + "-3"))).isZero();
    }

    @Test
    @DisplayName("an append in a REPEATABLE READ or SERIALIZABLE transaction is refused: its checks need fresh snapshots")
    void isolationLevels() throws Exception {
        for (int level : new int[] {Connection.TRANSACTION_REPEATABLE_READ, Connection.TRANSACTION_SERIALIZABLE}) {
            try (Connection connection = database.dataSource().getConnection()) {
                connection.setAutoCommit(false);
                connection.setTransactionIsolation(level);
                try {
                    assertThatThrownBy(() -> append(connection, category + "-4"))
                            .isInstanceOfSatisfying(SQLException.class,
                                    refused -> assertThat(refused.getSQLState()).isEqualTo("25000"));
                } finally {
                    connection.rollback();
                    connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
                    connection.setAutoCommit(true);
                }
            }
        }
    }
}
