package org.pgeventstore.bootstrap;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A PostgreSQL primary and a hot standby made from it with {@code pg_basebackup -R}, streaming, in
 * temporary data directories on free ports, from the PostgreSQL binaries in
 * {@code EVENTSTORE_TEST_PG_BIN} (default {@code /usr/lib/postgresql/15/bin}; the embedded
 * distribution has no {@code pg_basebackup}). PostgreSQL refuses to run as root, so as root the
 * binaries run as the {@code postgres} OS user ({@code runuser}). Missing binaries skip the suite,
 * saying what to install (reported as skipped, not passed); with {@code EVENTSTORE_TEST_REPLICA=required},
 * as CI sets it, they fail it. {@code EVENTSTORE_TEST_REPLICA=off} turns the suite off.
 */
final class PrimaryAndStandby implements AutoCloseable {

    private static final Duration STEP_TIMEOUT = Duration.ofMinutes(2);

    private final Path bin;
    private final Path root;
    private final boolean asRoot;
    private final int primaryPort;
    private final int standbyPort;
    private boolean standbyRunning;

    private PrimaryAndStandby(Path bin, Path root, boolean asRoot, int primaryPort, int standbyPort) {
        this.bin = bin;
        this.root = root;
        this.asRoot = asRoot;
        this.primaryPort = primaryPort;
        this.standbyPort = standbyPort;
    }

    static PrimaryAndStandby start() throws Exception {
        Assumptions.assumeFalse("off".equalsIgnoreCase(System.getenv("EVENTSTORE_TEST_REPLICA")),
                "EVENTSTORE_TEST_REPLICA=off: the streaming-replica suite is turned off");
        String configured = System.getenv("EVENTSTORE_TEST_PG_BIN");
        Path bin = Path.of(configured == null || configured.isBlank() ? "/usr/lib/postgresql/15/bin" : configured);
        for (String tool : List.of("initdb", "pg_ctl", "pg_basebackup", "postgres")) {
            if (!Files.isExecutable(bin.resolve(tool))) {
                String why = "the streaming-replica tests need the PostgreSQL server binaries, "
                        + bin.resolve(tool) + " is missing: install postgresql-15 (apt-get install postgresql-15), or "
                        + "point EVENTSTORE_TEST_PG_BIN at a bin directory with initdb, pg_ctl, pg_basebackup and postgres";
                // Where there is only a JDK, ./mvnw verify still works: skipped, and said so; CI requires them.
                if ("required".equalsIgnoreCase(System.getenv("EVENTSTORE_TEST_REPLICA"))) {
                    throw new IllegalStateException(why + " (EVENTSTORE_TEST_REPLICA=required)");
                }
                Assumptions.abort(why + "; skipped (EVENTSTORE_TEST_REPLICA=required makes this a failure)");
            }
        }
        boolean asRoot = "root".equals(System.getProperty("user.name"));
        Path root = Files.createTempDirectory("eventstore-replica");
        PrimaryAndStandby pair = new PrimaryAndStandby(bin, root, asRoot, freePort(), freePort());
        try {
            pair.startBoth();
        } catch (Exception | AssertionError e) {
            pair.close();
            throw e;
        }
        return pair;
    }

    private void startBoth() throws Exception {
        if (asRoot) {
            run(List.of("chown", "postgres:postgres", root.toString()), false);
        }
        Path primary = root.resolve("primary");
        Path standby = root.resolve("standby");
        run(List.of(bin.resolve("initdb").toString(), "-D", primary.toString(), "-U", "postgres", "--auth=trust",
                "-E", "UTF8", "--no-sync"), true);
        appendConf(primary, "port = " + primaryPort, "listen_addresses = '127.0.0.1'",
                "unix_socket_directories = '" + root + "'", "fsync = off", "max_connections = 60");
        pgCtl(primary, "start");
        run(List.of(bin.resolve("pg_basebackup").toString(), "-h", "127.0.0.1", "-p", Integer.toString(primaryPort),
                "-U", "postgres", "-D", standby.toString(), "-R", "-X", "stream", "-c", "fast", "--no-sync"), true);
        appendConf(standby, "port = " + standbyPort, "hot_standby = on", "hot_standby_feedback = on");
        pgCtl(standby, "start");
        standbyRunning = true;
    }

    String primaryUrl() {
        return "jdbc:postgresql://127.0.0.1:" + primaryPort + "/postgres";
    }

    String standbyUrl() {
        return "jdbc:postgresql://127.0.0.1:" + standbyPort + "/postgres";
    }

    /** Stops the standby (fast shutdown): its connections are cut, new ones refused. */
    void stopStandby() throws Exception {
        if (standbyRunning) {
            standbyRunning = false;
            pgCtl(root.resolve("standby"), "stop");
        }
    }

    @Override
    public void close() throws Exception {
        try {
            stopStandby();
        } finally {
            try {
                if (Files.exists(root.resolve("primary").resolve("postmaster.pid"))) {
                    pgCtl(root.resolve("primary"), "stop");
                }
            } finally {
                keepLogs();
                deleteTree(root);
            }
        }
    }

    /** The servers' logs of the latest run, for a failure to be read after the data directories are gone. */
    private void keepLogs() throws IOException {
        Path kept = Path.of("target", "streaming-replica");
        Files.createDirectories(kept);
        for (String name : List.of("primary.log", "standby.log")) {
            if (Files.exists(root.resolve(name))) {
                Files.copy(root.resolve(name), kept.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private void pgCtl(Path dataDir, String action) throws Exception {
        List<String> command = new ArrayList<>(List.of(bin.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-w",
                "-t", "120", "-l", dataDir.resolveSibling(dataDir.getFileName() + ".log").toString()));
        if (action.equals("stop")) {
            command.addAll(List.of("-m", "fast"));
        }
        command.add(action);
        run(command, true);
    }

    private void appendConf(Path dataDir, String... lines) throws IOException {
        Path conf = dataDir.resolve("postgresql.conf");
        Files.writeString(conf, Files.readString(conf) + "\n" + String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    }

    private void run(List<String> command, boolean asPostgres) throws Exception {
        List<String> full = new ArrayList<>();
        if (asRoot && asPostgres) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        Path output = Files.createTempFile("pg-command", ".log");
        try {
            Process process = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(output.toFile())
                    .directory(root.toFile()).start();
            if (!process.waitFor(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", full) + " did not finish within " + STEP_TIMEOUT);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", full) + " failed with exit code " + process.exitValue()
                        + ":\n" + Files.readString(output) + serverLogs());
            }
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private String serverLogs() throws IOException {
        StringBuilder logs = new StringBuilder();
        for (String name : List.of("primary.log", "standby.log")) {
            Path log = root.resolve(name);
            if (Files.exists(log)) {
                logs.append("\n--- ").append(name).append(" ---\n").append(Files.readString(log));
            }
        }
        return logs.toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
