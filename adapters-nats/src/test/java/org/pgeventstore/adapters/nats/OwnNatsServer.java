package org.pgeventstore.adapters.nats;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A nats-server process of the test's own, with JetStream, on a free port of 127.0.0.1 and a
 * store directory of its own, that the test may stop and start again (same port, same store): for
 * outages. The binary is {@code EVENTSTORE_TEST_NATS_SERVER}, else {@code /usr/sbin/nats-server},
 * else {@code nats-server} on the PATH. Stopped by its pid only.
 */
public final class OwnNatsServer implements AutoCloseable {

    private final Path storeDir;
    private final Path log;
    private final int port;
    private Process process;

    public OwnNatsServer() {
        NatsTestServer.requireNatsTests();
        try {
            storeDir = Files.createTempDirectory("nats-js-");
            log = storeDir.resolveSibling(storeDir.getFileName() + ".log");
            try (ServerSocket free = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                port = free.getLocalPort();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        start();
    }

    public String url() {
        return "nats://127.0.0.1:" + port;
    }

    private static String binary() {
        String configured = System.getenv("EVENTSTORE_TEST_NATS_SERVER");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        return new File("/usr/sbin/nats-server").canExecute() ? "/usr/sbin/nats-server" : "nats-server";
    }

    /** Starts the server and waits until it accepts connections. */
    public synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        try {
            process = new ProcessBuilder(binary(), "-a", "127.0.0.1", "-p", Integer.toString(port), "-js",
                    "-sd", storeDir.toString(), "-l", log.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            NatsTestServer.unavailable("could not start nats-server (" + e.getMessage() + "): install it (Debian "
                    + "package nats-server) or point EVENTSTORE_TEST_NATS_SERVER at it");
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                fail("nats-server exited with " + process.exitValue() + " on port " + port + "; see " + log);
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                sleep(50);
            }
        }
        fail("nats-server did not accept connections on port " + port + " within 20 s; see " + log);
    }

    /** Kills the server (SIGKILL, by its pid) and waits until it is gone. */
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            process.waitFor(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        kill();
        try (Stream<Path> files = Files.walk(storeDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            Files.deleteIfExists(log);
        } catch (IOException e) {
            // A temp directory left behind.
        }
    }
}
