package org.pgeventstore.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pgeventstore.adapters.http.ApiClient;

/** With no datasource configured, the service runs its own PostgreSQL and keeps its data across restarts. */
class EmbeddedDefaultTest {

    @TempDir
    Path workDir;

    private EmbeddedServer start(Path dataDir) {
        return ApplicationContext.run(EmbeddedServer.class, Map.of(
                "eventstore.embedded.data-dir", dataDir.toString(),
                "micronaut.server.port", "-1"));
    }

    @Test
    @DisplayName("events appended before a restart are there after it, on a durable embedded server")
    void keepsEventsAcrossRestart() throws Exception {
        Path dataDir = workDir.resolve("data/postgres");
        String body = "{\"expectedVersion\": 0, \"events\": [{\"type\": \"Kept\", \"data\": {\"n\": 42}}]}";

        try (EmbeddedServer first = start(dataDir)) {
            assertThat(first.getApplicationContext().containsBean(EmbeddedPostgresServer.class)).isTrue();
            var reply = new ApiClient(first.getURI()).postJson("/api/streams/keep-1/events", body);
            assertThat(reply.status()).as(reply.body()).isEqualTo(201);
            try (Connection connection = first.getApplicationContext().getBean(DataSource.class).getConnection();
                 Statement statement = connection.createStatement();
                 ResultSet row = statement.executeQuery(
                         "SELECT current_setting('fsync'), current_setting('synchronous_commit')")) {
                row.next();
                assertThat(row.getString(1)).isEqualTo("on");
                assertThat(row.getString(2)).isEqualTo("on");
            }
        }
        assertThat(Files.exists(dataDir.resolve("PG_VERSION"))).isTrue();

        try (EmbeddedServer second = start(dataDir)) {
            var api = new ApiClient(second.getURI());
            var read = api.get("/api/streams/keep-1");
            assertThat(read.status()).as(read.body()).isEqualTo(200);
            assertThat(read.json().get("events").get(0).get("data").get("n").asInt()).isEqualTo(42);
            var again = api.postJson("/api/streams/keep-1/events", body);
            assertThat(again.status()).as("the stream's version survived too").isEqualTo(409);
            assertThat(again.json().get("actualVersion").asLong()).isEqualTo(1);
            assertThat(api.get("/health").json().get("status").asText()).isEqualTo("UP");
        }
    }

    @Test
    @DisplayName("a second service on the same data directory fails to start, naming it, and the first keeps serving")
    void secondServiceOnTheSameDirectory() throws Exception {
        Path dataDir = workDir.resolve("data/postgres");
        try (EmbeddedServer first = start(dataDir)) {
            long postmaster = Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).getFirst().trim());

            assertThatThrownBy(() -> start(dataDir).close())
                    .hasRootCauseInstanceOf(DataDirectoryInUse.class)
                    .rootCause().hasMessageContaining(dataDir.toString())
                    .hasMessageContaining("pid=" + ProcessHandle.current().pid());

            assertThat(ProcessHandle.of(postmaster).map(ProcessHandle::isAlive)).as("its PostgreSQL untouched").hasValue(true);
            var api = new ApiClient(first.getURI());
            var reply = api.postJson("/api/streams/keep-2/events", "{\"events\": [{\"type\": \"Kept\", \"data\": {}}]}");
            assertThat(reply.status()).as(reply.body()).isEqualTo(201);
            assertThat(api.get("/health").status()).isEqualTo(200);
        }
    }
}
