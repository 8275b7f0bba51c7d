package org.pgeventstore.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A SIGTERM, as a supervisor or an operator's Ctrl-C sends it, stops the service cleanly: the
 * projections stop before the database does, the embedded PostgreSQL stops, and the log says so in
 * plain lines, without warnings or stack traces for the person on call to wonder about.
 */
class CleanShutdownIT {

    @TempDir
    Path workDir;

    @Test
    @DisplayName("SIGTERM: the service exits, its embedded PostgreSQL stops, and the log holds no warning, stack trace or logging status")
    void sigtermLogsNoFailure() throws Exception {
        Path dataDir = workDir.resolve("data/postgres");
        try (ServiceProcess service = ServiceProcess.start(Map.of("EVENTSTORE_DATA_DIR", dataDir.toString()),
                workDir.resolve("service.log"))) {
            service.awaitHealthy();
            var placed = service.api().postJson("/api/streams/shutdown-1/events",
                    "{\"events\": [{\"type\": \"BeforeShutdown\", \"data\": {}}]}");
            assertThat(placed.status()).as(placed.body()).isEqualTo(201);

            ProcessHandle.of(service.pid()).orElseThrow().destroy();
            int exit = service.awaitExit(Duration.ofSeconds(60));
            String log = service.log();

            assertThat(exit).as("exit status after SIGTERM: " + log).isIn(0, 143);
            assertThat(ServiceProcess.postmaster(dataDir)).as("the embedded PostgreSQL stopped with the service").isEmpty();
            List<String> complaints = log.lines()
                    .filter(line -> line.contains("level=WARN") || line.contains("level=ERROR") || line.startsWith("\tat "))
                    .filter(line -> !line.contains("event=initial_admin_key_created"))
                    .toList();
            assertThat(complaints).as("warnings, errors or stack traces in the log of a clean shutdown:\n" + log).isEmpty();
            assertThat(log).contains("event=embedded_postgres_stopped");
            assertThat(log.lines().filter(line -> line.contains(" |-")).toList())
                    .as("logback's own status lines (it prints them all when its configuration warns)").isEmpty();
        }
    }
}
