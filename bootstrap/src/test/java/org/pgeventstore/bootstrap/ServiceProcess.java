package org.pgeventstore.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.pgeventstore.adapters.http.ApiClient;

/** The packaged service ({@code target/pg-eventstore.jar}) run as a separate process, for *IT tests. */
final class ServiceProcess implements AutoCloseable {

    private final Process process;
    private final Path log;
    private final int port;

    private ServiceProcess(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** Starts the jar with {@code environment} added to this JVM's, listening on a free port; output goes to {@code log}. */
    static ServiceProcess start(Map<String, String> environment, Path log) throws IOException {
        Path jar = Path.of("target", "pg-eventstore.jar").toAbsolutePath();
        assertThat(jar).as("the packaged service").exists();
        String java = ProcessHandle.current().info().command().orElse("java");
        int port = freePort();
        ProcessBuilder builder = new ProcessBuilder(java, "-jar", jar.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        builder.environment().put("PORT", String.valueOf(port));
        builder.environment().putIfAbsent("EVENTSTORE_ADMIN_KEY", ApiClient.TEST_ADMIN_KEY);
        return new ServiceProcess(builder.start(), log, port);
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    URI baseUri() {
        return URI.create("http://localhost:" + port);
    }

    ApiClient api() {
        return new ApiClient(baseUri());
    }

    long pid() {
        return process.pid();
    }

    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until {@code /health} answers 200; fails with the service's output if it dies or takes too long. */
    void awaitHealthy() throws InterruptedException {
        ApiClient api = api();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(process.isAlive()).as("the service process died: " + log()).isTrue();
            try {
                if (api.get("/health").status() == 200) {
                    return;
                }
            } catch (ApiClient.NoResponse notYetListening) {
                // connection refused while it starts
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the service did not become healthy: " + log());
    }

    /** Waits for the process to end by itself and returns its exit code. */
    int awaitExit(Duration timeout) throws InterruptedException {
        assertThat(process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS))
                .as("the service should have ended by itself: " + log()).isTrue();
        return process.exitValue();
    }

    /** SIGKILL: the service gets no chance to stop anything. */
    void kill() throws InterruptedException {
        assertThat(process.destroyForcibly().waitFor(30, TimeUnit.SECONDS)).as("the service ended on SIGKILL").isTrue();
    }

    /** The postmaster running on the embedded data directory {@code dataDir}, if one is. */
    static Optional<ProcessHandle> postmaster(Path dataDir) throws IOException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(pidFile);
        return lines.isEmpty() ? Optional.empty()
                : ProcessHandle.of(Long.parseLong(lines.getFirst().trim())).filter(ProcessHandle::isAlive);
    }

    /** Whatever went wrong, leaves no PostgreSQL running on {@code dataDir}. */
    static void stopPostgres(Path dataDir) throws Exception {
        Optional<ProcessHandle> leftover = postmaster(dataDir);
        if (leftover.isPresent()) {
            leftover.get().destroy();
            try {
                leftover.get().onExit().get(30, TimeUnit.SECONDS);
            } catch (TimeoutException stillRunning) {
                leftover.get().destroyForcibly();
            }
        }
    }

    /** SIGTERM, as a service manager stops it: a graceful shutdown. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            kill();
        }
    }
}
