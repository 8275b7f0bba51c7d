package org.pgeventstore.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The figures of {@code benchmarks/pg-limit.sh}: pgbench's raw INSERT rates on the same
 * server (its own table, bigserial positions, prepared statements, no JDBC), printed beside ours.
 * Runs only where both the script and {@code pgbench} exist, and says which one is missing
 * otherwise.
 *
 * @param status "measured", "pgbench not found", "script not found" or "failed: ..."
 */
public record PgLimit(String status, Integer clients, Integer seconds, Double singleInsertTps,
                      Double batch100EventsPerSecond) {

    static final int CLIENTS = 8;

    static PgLimit run(Path script, BenchmarkDatabase database, int seconds) throws InterruptedException {
        if (!Files.isRegularFile(script)) {
            return unavailable("script not found at " + script);
        }
        if (!onPath("pgbench")) {
            return unavailable("pgbench not found");
        }
        ProcessBuilder builder = new ProcessBuilder("bash", script.toString(), Integer.toString(CLIENTS),
                Integer.toString(seconds));
        builder.environment().putAll(database.libpqEnvironment());
        builder.redirectError(ProcessBuilder.Redirect.INHERIT);
        try {
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!process.waitFor(seconds * 4L + 60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return unavailable("failed: pg-limit.sh did not finish");
            }
            if (process.exitValue() != 0) {
                return unavailable("failed: pg-limit.sh exited with " + process.exitValue());
            }
            JsonNode json = new ObjectMapper().readTree(output.substring(output.lastIndexOf('{')));
            return new PgLimit("measured", json.path("clients").asInt(), json.path("seconds").asInt(),
                    json.path("single_insert_tps").asDouble(), json.path("batch100_events_per_s").asDouble());
        } catch (IOException | RuntimeException e) {
            return unavailable("failed: " + e.getMessage());
        }
    }

    private static PgLimit unavailable(String status) {
        return new PgLimit(status, null, null, null, null);
    }

    private static boolean onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }
}
