package org.pgeventstore.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pgeventstore.adapters.http.ApiJson;
import org.pgeventstore.adapters.postgres.PostgresEventStore;
import org.pgeventstore.adapters.postgres.PostgresTestDatabase;
import org.pgeventstore.application.eventstore.EventStore;
import org.pgeventstore.application.eventstore.ExpectedVersion;
import org.pgeventstore.application.eventstore.NewEvent;
import org.pgeventstore.application.eventstore.RecordedEvent;
import org.pgeventstore.application.eventstore.StreamId;

/** {@code admin export} and {@code admin import}: a category copied to a second database, twice, on real PostgreSQL. */
class AdminExportImportTest {

    static final PostgresTestDatabase DATABASE = PostgresTestDatabase.shared();
    static final String SECOND = "cli_import_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    @TempDir
    Path directory;

    @BeforeAll
    static void createSecondDatabase() throws SQLException {
        execute("CREATE DATABASE " + SECOND);
    }

    @AfterAll
    static void dropSecondDatabase() throws SQLException {
        execute("DROP DATABASE IF EXISTS " + SECOND + " WITH (FORCE)");
    }

    private static void execute(String sql) throws SQLException {
        try (Connection connection = DATABASE.dataSource().getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static Map<String, Object> secondDatabase() {
        Map<String, Object> properties = new HashMap<>(TestDatabaseProperties.of(DATABASE));
        properties.put("datasources.default.url", DATABASE.urlOf(SECOND));
        return properties;
    }

    private static NewEvent event(String type, String data) {
        return new NewEvent(UUID.randomUUID(), type, 1, data, "{\"source\": \"cli-test\"}");
    }

    @Test
    @DisplayName("a category exported and imported into another database has the same events; a second import appends none")
    void exportThenImportTwice() throws IOException {
        String category = "cliexp" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        StreamId first = StreamId.of(category + "-a");
        StreamId second = StreamId.of(category + "-b");
        EventStore source = new PostgresEventStore(DATABASE.dataSource());
        source.append(first, ExpectedVersion.ANY, List.of(event("Opened", "{\"n\": 1}"), event("Noted", "{\"n\": 2, \"x\": [1, 2]}")));
        source.append(second, ExpectedVersion.ANY, List.of(event("Opened", "{\"n\": 3}")));
        source.append(first, ExpectedVersion.ANY, List.of(event("Closed", "{\"n\": 4, \"s\": \"é \\\" \\n\"}")));

        Path file = directory.resolve("events.jsonl");
        AdminCliTest.Run exported = AdminCliTest.admin("export", "--category", category, "--out", file.toString());
        assertThat(exported.status()).as(exported.err()).isZero();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(4);
        JsonNode firstLine = ApiJson.read(lines.getFirst().getBytes(StandardCharsets.UTF_8));
        assertThat(firstLine.get("streamId").asText()).isEqualTo(first.value());
        assertThat(firstLine.get("data").get("n").asInt()).isEqualTo(1);
        assertThat(firstLine.has("position") && firstLine.has("occurredAt") && firstLine.has("metadata")).isTrue();

        AdminCliTest.Run oneStream = AdminCliTest.admin("export", "--stream", first.value());
        assertThat(oneStream.status()).as(oneStream.err()).isZero();
        assertThat(oneStream.out().lines().toList()).hasSize(3)
                .allSatisfy(line -> assertThat(line).contains("\"streamId\":\"" + first.value() + "\""));

        AdminCliTest.Run imported = AdminCliTest.adminOn(secondDatabase(), "import", file.toString(), "--json");
        assertThat(imported.status()).as(imported.err()).isZero();
        assertThat(imported.json().get("appended").asLong()).isEqualTo(4);
        assertThat(imported.json().get("alreadyStored").asLong()).isZero();

        try (HikariDataSource copyPool = newPoolOn(DATABASE.urlOf(SECOND))) {
            EventStore copy = new PostgresEventStore(copyPool);
            assertSameEvents(source.read(first, 1, 100).events(), copy.read(first, 1, 100).events());
            assertSameEvents(source.read(second, 1, 100).events(), copy.read(second, 1, 100).events());

            AdminCliTest.Run again = AdminCliTest.adminOn(secondDatabase(), "import", file.toString());
            assertThat(again.status()).as(again.err()).isZero();
            assertThat(again.out()).contains("0 events appended, 4 already stored");
            assertThat(copy.currentVersion(first)).isEqualTo(3);
            assertThat(copy.currentVersion(second)).isEqualTo(1);
        }
    }

    @Test
    @DisplayName("a file with an event of an owned category (order) is refused whole: nothing of it is appended")
    void ownedCategoryIsRefused() throws IOException {
        StreamId generic = StreamId.of("cliown-" + UUID.randomUUID());
        Path file = directory.resolve("owned.jsonl");
        Files.writeString(file, """
                {"eventId":"%s","streamId":"%s","type":"Noted","schemaVersion":1,"data":{"n":1},"metadata":{}}
                {"eventId":"%s","streamId":"order-%s","type":"OrderPlaced","schemaVersion":1,"data":{},"metadata":{}}
                """.formatted(UUID.randomUUID(), generic.value(), UUID.randomUUID(), UUID.randomUUID()));
        AdminCliTest.Run refused = AdminCliTest.admin("import", file.toString());
        assertThat(refused.status()).isEqualTo(1);
        assertThat(refused.err()).contains("line 2").contains("take events only through the aggregate's commands")
                .contains("nothing was imported");
        assertThat(new PostgresEventStore(DATABASE.dataSource()).currentVersion(generic)).isZero();

        Files.writeString(file, "not json\n");
        AdminCliTest.Run garbage = AdminCliTest.admin("import", file.toString());
        assertThat(garbage.status()).isEqualTo(1);
        assertThat(garbage.err()).contains("line 1").contains("not a JSON event");
    }

    private static HikariDataSource newPoolOn(String url) {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl(url);
        pool.setUsername(DATABASE.username());
        pool.setPassword(DATABASE.password());
        pool.setMaximumPoolSize(2);
        return pool;
    }

    private static void assertSameEvents(List<RecordedEvent> expected, List<RecordedEvent> actual) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            RecordedEvent want = expected.get(i);
            RecordedEvent got = actual.get(i);
            assertThat(got.eventId()).isEqualTo(want.eventId());
            assertThat(got.type()).isEqualTo(want.type());
            assertThat(got.schemaVersion()).isEqualTo(want.schemaVersion());
            assertThat(got.version()).isEqualTo(want.version());
            assertThat(ApiJson.read(got.data().getBytes(StandardCharsets.UTF_8)))
                    .isEqualTo(ApiJson.read(want.data().getBytes(StandardCharsets.UTF_8)));
            assertThat(ApiJson.read(got.metadata().getBytes(StandardCharsets.UTF_8)))
                    .isEqualTo(ApiJson.read(want.metadata().getBytes(StandardCharsets.UTF_8)));
        }
    }
}
