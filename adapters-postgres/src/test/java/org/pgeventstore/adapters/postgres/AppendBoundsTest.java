package org.pgeventstore.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.pgeventstore.application.eventstore.EventStore;
import org.pgeventstore.application.eventstore.StreamId;

/**
 * One append's positions are its transaction id shifted by 16 bits plus the event's place: 65,536
 * places. {@code append_events} itself refuses more, whoever calls it, or the last events would
 * take positions of the next transaction id.
 */
class AppendBoundsTest {

    private final PostgresTestDatabase database = PostgresTestDatabase.shared();

    @Test
    @DisplayName("append_events called directly with 65,537 events refuses them (SQLSTATE 54000) and stores nothing")
    void refusesMoreThanOneTransactionIdHolds() throws Exception {
        int count = EventStore.MAX_EVENTS_PER_APPEND + 1;
        String stream = "bounds" + UUID.randomUUID().toString().replace("-", "") + "-1";
        UUID[] ids = new UUID[count];
        Arrays.setAll(ids, i -> UUID.randomUUID());
        String[] types = new String[count];
        Arrays.fill(types, "Happened");
        String[] objects = new String[count];
        Arrays.fill(objects, "{}");
        Integer[] schemaVersions = new Integer[count];
        Arrays.fill(schemaVersions, 1);
        try (Connection connection = database.dataSource().getConnection();
             PreparedStatement statement = connection.prepareStatement("SELECT * FROM append_events(?, 0, ?, ?, ?, ?, ?)")) {
            statement.setString(1, stream);
            statement.setArray(2, connection.createArrayOf("uuid", ids));
            statement.setArray(3, connection.createArrayOf("text", types));
            statement.setArray(4, connection.createArrayOf("text", objects));
            statement.setArray(5, connection.createArrayOf("text", objects));
            statement.setArray(6, connection.createArrayOf("int4", schemaVersions));
            assertThatThrownBy(statement::executeQuery)
                    .isInstanceOfSatisfying(SQLException.class, refused -> {
                        assertThat(refused.getSQLState()).isEqualTo("54000");
                        assertThat(refused.getMessage()).contains("at most 65536 events");
                    });
        }
        assertThat(new PostgresEventStore(database.dataSource()).currentVersion(StreamId.of(stream))).isZero();
    }
}
