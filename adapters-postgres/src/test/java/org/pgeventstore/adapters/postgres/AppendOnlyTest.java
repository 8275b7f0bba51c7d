package org.pgeventstore.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pgeventstore.application.eventstore.ExpectedVersion;
import org.pgeventstore.application.eventstore.NewEvent;
import org.pgeventstore.application.eventstore.StreamId;

/** The database itself refuses to change or remove stored events, whoever asks. */
class AppendOnlyTest {

    private final PostgresTestDatabase database = PostgresTestDatabase.shared();
    private final PostgresEventStore store = new PostgresEventStore(database.dataSource());

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "UPDATE events SET data = '{\"changed\": true}' WHERE stream_id = '%s'",
            "DELETE FROM events WHERE stream_id = '%s'",
            "TRUNCATE events"})
    @DisplayName("UPDATE, DELETE and TRUNCATE of events are rejected and change nothing")
    void changesAreRejected(String statementTemplate) throws SQLException {
        var stream = StreamId.of("appendonly-" + UUID.randomUUID());
        store.append(stream, ExpectedVersion.NO_STREAM, List.of(NewEvent.of("Kept", "{\"n\": 1}")));

        try (Connection connection = database.dataSource().getConnection();
             Statement statement = connection.createStatement()) {
            assertThatThrownBy(() -> statement.execute(statementTemplate.formatted(stream.value())))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("events are append-only");
        }
        var slice = store.read(stream, 1, 10);
        assertThat(slice.events()).hasSize(1);
        assertThat(slice.events().getFirst().data()).isEqualTo("{\"n\": 1}");
    }
}
