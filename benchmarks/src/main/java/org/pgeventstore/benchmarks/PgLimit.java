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
        return run(script, database, CLIENTS, seconds, "both");
    }

    /**
     * One pgbench run of pg-limit.sh beside an interleaved case: the single-row rate (transactions,
     * so events, per second) or the 100-row one (events per second), or empty when pgbench or the
     * script is missing or the run failed.
     */
    static java.util.Optional<Double> rate(Path script, BenchmarkDatabase database, int clients, int seconds, int rows)
            throws InterruptedException {
        PgLimit limit = run(script, database, clients, seconds, rows == 1 ? "one" : "batch");
        Double rate = rows == 1 ? limit.singleInsertTps() : limit.batch100EventsPerSecond();
        return "measured".equals(limit.status()) && rate != null && rate > 0 ? java.util.Optional.of(rate)
                : java.util.Optional.empty();
    }

    private static PgLimit run(Path script, BenchmarkDatabase database, int clients, int seconds, String which)
            throws InterruptedException {
        if (!Files.isRegularFile(script)) {
            return unavailable("script not found at " + script);
        }
        if (!onPath("pgbench")) {
            return unavailable("pgbench not found");
        }
        ProcessBuilder builder = new ProcessBuilder("bash", script.toString(), Integer.toString(clients),
                Integer.toString(seconds), which);
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
                    rateOf(json.path("single_insert_tps")), rateOf(json.path("batch100_events_per_s")));
        } catch (IOException | RuntimeException e) {
            return unavailable("failed: " + e.getMessage());
        }
    }

    private static Double rateOf(JsonNode value) {
        return value.isNumber() ? value.asDouble() : null;
    }

    private static PgLimit unavailable(String status) {
        return new PgLimit(status, null, null, null, null);
    }

    static boolean onPath(String command) {
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
