package org.pgeventstore.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar pg-eventstore.jar admin ...}: the packaged jar's command line on its embedded
 * default, with stdout the command's output only, and refused while a running service holds the
 * data directory.
 */
class AdminCliIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path workDir;

    record Result(int status, String out, String err) {
    }

    private Result admin(Path dataDir, String... args) throws IOException, InterruptedException {
        Path jar = Path.of("target", "pg-eventstore.jar").toAbsolutePath();
        assertThat(jar).as("the packaged service").exists();
        String java = ProcessHandle.current().info().command().orElse("java");
        Path out = Files.createTempFile(workDir, "out", ".txt");
        Path err = Files.createTempFile(workDir, "err", ".txt");
        List<String> command = new java.util.ArrayList<>(List.of(java, "-jar", jar.toString(), AdminCli.ENTRY));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("DATASOURCES_DEFAULT_"));
        builder.environment().put("EVENTSTORE_DATA_DIR", dataDir.toString());
        Process process = builder.start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the command ended").isTrue();
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    @DisplayName("admin on the embedded default: JSON alone on stdout, logs on stderr, no server; refused while the service runs")
    void adminEntry() throws Exception {
        Path dataDir = workDir.resolve("data/postgres");
        Result created = admin(dataDir, "keys", "create", "--name", "from-the-jar", "--role", "admin", "--json");
        assertThat(created.status()).as(created.err()).isZero();
        JsonNode key = JSON.readTree(created.out());
        assertThat(key.get("secret").asText()).startsWith("pges_");
        assertThat(created.err()).as("the logs went to stderr").contains("level=");
        assertThat(created.err()).doesNotContain("Startup completed");

        Result stats = admin(dataDir, "stats", "--json");
        assertThat(stats.status()).as(stats.err()).isZero();
        assertThat(JSON.readTree(stats.out()).get("events").asLong()).isZero();

        try (ServiceProcess service = ServiceProcess.start(Map.of("EVENTSTORE_DATA_DIR", dataDir.toString()),
                workDir.resolve("service.log"))) {
            service.awaitHealthy();
            // The key the command line created serves the running service.
            assertThat(service.api().withToken(key.get("secret").asText()).get("/api/admin/stats").status()).isEqualTo(200);
            Result refused = admin(dataDir, "stats");
            assertThat(refused.status()).isEqualTo(1);
            assertThat(refused.out()).isEmpty();
            assertThat(refused.err()).contains("error: the data directory " + dataDir)
                    .contains("is in use by process " + service.pid())
                    .contains("set DATASOURCES_DEFAULT_URL");
        }
    }
}
