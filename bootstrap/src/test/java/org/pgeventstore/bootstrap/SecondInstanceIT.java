package org.pgeventstore.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pgeventstore.adapters.http.ApiClient;

/**
 * Two services on one embedded data directory. The second refuses to start, naming the directory
 * and the process that holds it, and leaves the first one's PostgreSQL alone. A service killed
 * without stopping its PostgreSQL leaves an orphan, which the next start stops before it starts its
 * own.
 */
class SecondInstanceIT {

    @TempDir
    Path workDir;

    private Path dataDir() {
        return workDir.resolve("data/postgres");
    }

    private Map<String, String> embedded() {
        return Map.of("EVENTSTORE_DATA_DIR", dataDir().toString());
    }

    private Optional<ProcessHandle> postmaster() throws IOException {
        return ServiceProcess.postmaster(dataDir());
    }

    private static void append(ApiClient api, String body) {
        var reply = api.postJson("/api/streams/second-instance-1/events", body);
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    }

    @Test
    @DisplayName("a second service on the same data directory refuses to start and leaves the first one running")
    void secondInstanceRefusesToStart() throws Exception {
        ServiceProcess first = ServiceProcess.start(embedded(), workDir.resolve("first.log"));
        ServiceProcess third = null;
        try {
            first.awaitHealthy();
            append(first.api(), "{\"events\": [{\"type\": \"BeforeSecond\", \"data\": {}}]}");
            ProcessHandle firstPostgres = postmaster().orElseThrow();

            try (ServiceProcess second = ServiceProcess.start(embedded(), workDir.resolve("second.log"))) {
                int exit = second.awaitExit(Duration.ofSeconds(90));
                String log = second.log();
                assertThat(exit).as("the second service exits with an error: " + log).isNotZero();
                assertThat(log).as("it names the data directory and the process holding it")
                        .contains(dataDir().toString()).contains("pid=" + first.pid());
                assertThat(log).as("an expected refusal, not a crash: no stack trace").doesNotContain("\tat ");
            }

            assertThat(firstPostgres.isAlive()).as("the first service's PostgreSQL was not touched").isTrue();
            assertThat(first.api().get("/health").status()).isEqualTo(200);
            append(first.api(), "{\"events\": [{\"type\": \"AfterSecond\", \"data\": {}}]}");

            first.kill();
            assertThat(firstPostgres.isAlive()).as("killed with SIGKILL, the service left its PostgreSQL running")
                    .isTrue();

            third = ServiceProcess.start(embedded(), workDir.resolve("third.log"));
            third.awaitHealthy();
            assertThat(firstPostgres.isAlive()).as("the next start stopped the orphaned PostgreSQL").isFalse();
            assertThat(third.log()).contains("event=embedded_postgres_orphan");
            var stream = third.api().get("/api/streams/second-instance-1");
            assertThat(stream.status()).as(stream.body()).isEqualTo(200);
            assertThat(stream.json().get("events")).as("the events of the first service are there").hasSize(2);
        } finally {
            first.kill();
            if (third != null) {
                third.close();
            }
            ServiceProcess.stopPostgres(dataDir());
        }
    }
}
