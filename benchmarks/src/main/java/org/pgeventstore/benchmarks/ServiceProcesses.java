package org.pgeventstore.benchmarks;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The service's own jar run in a JVM of its own on the benchmark database, for the cases that drive it over HTTP. */
final class ServiceProcesses {

    static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(120);
    private static final Logger LOG = LoggerFactory.getLogger(ServiceProcesses.class);

    private ServiceProcesses() {
    }

    static Process start(BenchmarkContext context, Path jar, int port, Map<String, String> settings, String logName)
            throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put("DATASOURCES_DEFAULT_URL", context.database().jdbcUrl());
        env.put("DATASOURCES_DEFAULT_USERNAME", context.database().user());
        env.put("DATASOURCES_DEFAULT_PASSWORD", context.database().password());
        env.putAll(settings);
        return start(context, jar, List.of(), port, env, logName);
    }

    /** The jar with these JVM options and settings (nothing of the benchmark database unless they name it). */
    static Process start(BenchmarkContext context, Path jar, List<String> jvmOptions, int port,
                         Map<String, String> settings, String logName) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        env.remove("DATASOURCES_DEFAULT_URL");
        env.put("PORT", Integer.toString(port));
        env.putAll(settings);
        Path log = context.outputDir().resolve(logName);
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        LOG.info("event=service_starting jar={} port={} log={}", jar, port, log);
        return builder.start();
    }

    /** Why the service's jar cannot be started, or empty when it is there. */
    static Optional<String> missing(Path jar) {
        return Files.isRegularFile(jar) ? Optional.empty()
                : Optional.of("the service jar " + jar + " is missing (build it with the README's command)");
    }

    static boolean awaitHealthy(Process service, URI base) throws InterruptedException {
        HttpClient client = client();
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline && service.isAlive()) {
            try {
                HttpResponse<Void> response = client.send(HttpRequest.newBuilder(base.resolve("/health"))
                        .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return true;
                }
            } catch (IOException notYet) {
                // The port is not open yet.
            }
            Thread.sleep(250);
        }
        return false;
    }

    static void stop(Process service) throws InterruptedException {
        service.destroy();
        if (!service.waitFor(30, TimeUnit.SECONDS)) {
            service.destroyForcibly().waitFor();
        }
    }

    static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
