package org.pgeventstore.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.HdrHistogram.Histogram;

/**
 * Start-up of the service's jar, as its README runs it, on an embedded data directory that
 * already exists: from the JVM's launch until {@code /health/readiness} answers 200 (polled every
 * 20 ms). A first start creates the directory (initdb, migrations) and is reported apart. Then the
 * plain start and the start with a JVM class-data sharing archive ({@code -XX:+AutoCreateSharedArchive},
 * which an operator can add to the command) run in turns, after a start that writes the archive, so
 * that both see the same machine.
 */
final class StartupCase implements BenchmarkCase {

    static final String FIRST_ID = "startup.first";
    static final String EXISTING_ID = "startup.existing-data-dir";
    static final String EXISTING_CDS_ID = "startup.existing-data-dir.cds";
    private static final Duration POLL = Duration.ofMillis(20);
    private static final long HIGHEST_NANOS = Duration.ofMinutes(3).toNanos();

    @Override
    public String name() {
        return "start-up of the service's jar on an existing embedded data directory";
    }

    @Override
    public List<Figure> run(BenchmarkContext context) throws Exception {
        String firstTitle = "Start-up, first (creates the embedded data directory)";
        String existingTitle = "Start-up on an existing embedded data directory";
        String cdsTitle = existingTitle + ", with the class-data archive";
        Path jar = context.serviceJar();
        Optional<String> missing = ServiceProcesses.missing(jar);
        if (missing.isPresent()) {
            String reason = missing.get();
            return List.of(Figure.failed(FIRST_ID, "startup", firstTitle, "starts/s", null, reason),
                    Figure.failed(EXISTING_ID, "startup", existingTitle, "starts/s", null, reason),
                    Figure.failed(EXISTING_CDS_ID, "startup", cdsTitle, "starts/s", null, reason));
        }
        Path work = Files.createTempDirectory("pg-eventstore-startup-");
        Path archive = work.resolve("pg-eventstore.jsa");
        List<String> plain = List.of();
        List<String> cds = List.of("-XX:+AutoCreateSharedArchive", "-XX:SharedArchiveFile=" + archive);
        Map<String, String> settings = Map.of(
                "EVENTSTORE_DATA_DIR", work.resolve("postgres").toString(),
                "EVENTSTORE_INITIAL_ADMIN_KEY_FILE", work.resolve("initial-admin-key").toString());
        Target target = Target.p99AtMostMillis(3_000);

        Measurement first = measure(context, jar, plain, settings, 1, "startup-first.log");
        measure(context, jar, cds, settings, 1, "startup-archive.log");
        int rounds = Math.max(2, context.plan().rounds());
        List<Measurement> plainRuns = new ArrayList<>();
        List<Measurement> cdsRuns = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            plainRuns.add(measure(context, jar, plain, settings, 1, "startup-plain-" + round + ".log"));
            cdsRuns.add(measure(context, jar, cds, settings, 1, "startup-cds-" + round + ".log"));
        }
        String note = "java -jar, embedded PostgreSQL on fsync; launch to /health/readiness 200, polled every 20 ms; "
                + rounds + " starts each, in turns";
        return List.of(
                Figure.measured(FIRST_ID, "startup", firstTitle, "starts/s", "start", first, null, null,
                        "initdb and every migration, then ready"),
                Figure.measured(EXISTING_ID, "startup", existingTitle, "starts/s", "start", Measurement.pooled(plainRuns),
                        null, target, note + ": " + millis(plainRuns)),
                Figure.measured(EXISTING_CDS_ID, "startup", cdsTitle, "starts/s", "start", Measurement.pooled(cdsRuns),
                        null, target, note + ": " + millis(cdsRuns) + "; -XX:+AutoCreateSharedArchive "
                                + "-XX:SharedArchiveFile=..., written by the start before"));
    }

    /** Starts the jar {@code times} times in a row, each until ready and then stopped (SIGTERM). */
    private static Measurement measure(BenchmarkContext context, Path jar, List<String> jvmOptions,
                                       Map<String, String> settings, int times, String logName) throws Exception {
        Histogram latency = new Histogram(HIGHEST_NANOS, 3);
        long started = System.nanoTime();
        long errors = 0;
        String firstError = null;
        for (int i = 0; i < times; i++) {
            int port = ServiceProcesses.freePort();
            long launch = System.nanoTime();
            Process service = ServiceProcesses.start(context, jar, jvmOptions, port, settings, logName);
            try {
                if (awaitReady(service, URI.create("http://127.0.0.1:" + port + "/health/readiness"))) {
                    latency.recordValue(Math.min(System.nanoTime() - launch, HIGHEST_NANOS));
                } else {
                    errors++;
                    firstError = firstError == null ? "not ready within " + ServiceProcesses.STARTUP_TIMEOUT.toSeconds()
                            + " s; see " + context.outputDir().resolve(logName) : firstError;
                }
            } finally {
                ServiceProcesses.stop(service);
            }
        }
        double seconds = latency.getTotalCount() == 0 ? (System.nanoTime() - started) / 1e9
                : latency.getMean() * latency.getTotalCount() / 1e9;
        return new Measurement(1, seconds, latency.getTotalCount(), latency.getTotalCount(), errors, firstError, latency);
    }

    private static boolean awaitReady(Process service, URI readiness) throws InterruptedException {
        HttpClient client = ServiceProcesses.client();
        HttpRequest request = HttpRequest.newBuilder(readiness).timeout(Duration.ofSeconds(2)).GET().build();
        long deadline = System.nanoTime() + ServiceProcesses.STARTUP_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline && service.isAlive()) {
            try {
                if (client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return true;
                }
            } catch (IOException notYet) {
                // Not listening yet.
            }
            Thread.sleep(POLL.toMillis());
        }
        return false;
    }

    private static String millis(List<Measurement> runs) {
        List<String> each = new ArrayList<>();
        for (Measurement run : runs) {
            each.add(run.operations() == 0 ? "failed" : String.format(Locale.ROOT, "%.0f ms", run.percentileMillis(50)));
        }
        return String.join(", ", each);
    }
}
