package org.pgeventstore.bootstrap;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server run by the service itself, from binaries shipped on Maven Central,
 * with its data kept in a directory of the user's choice. It runs with fsync and
 * synchronous commit on: an acknowledged append survives a crash of the machine.
 *
 * <p>One instance at a time owns a data directory: it holds the directory's
 * {@link DataDirectoryLock} from before it looks at the directory until after its server has
 * stopped. A second instance on the same directory fails with {@link DataDirectoryInUse} and
 * touches nothing. If the server dies, {@link #restart()} starts it again on the same directory
 * and port (see {@link EmbeddedPostgresSupervisor}).
 */
public final class EmbeddedPostgresServer implements AutoCloseable, EmbeddedPostgresSupervisor.Server {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
    private static final int ORPHAN_STOP_GRACE_SECONDS = 30;
    /** How long a postmaster still running after the stop gets before it is killed (it recovers from its WAL). */
    private static final int STOP_GRACE_SECONDS = 10;
    private static final Duration LEFTOVER_WAIT = Duration.ofSeconds(10);

    private final DataDirectoryLock lock;
    private final Path dataDir;
    private final int port;
    private final Duration startupWait;
    private EmbeddedPostgres postgres;
    private volatile ProcessHandle postmaster;
    private boolean closed;

    private EmbeddedPostgresServer(DataDirectoryLock lock, Path dataDir, EmbeddedPostgres postgres, Duration startupWait) {
        this.lock = lock;
        this.dataDir = dataDir;
        this.port = postgres.getPort();
        this.startupWait = startupWait;
        this.postgres = postgres;
        this.postmaster = Postmaster.of(dataDir).orElseThrow(() -> new IllegalStateException(
                "the embedded PostgreSQL in " + dataDir + " started, but postmaster.pid names no running server"));
    }

    /**
     * Locks the data directory, stops an orphaned server left on it, and starts PostgreSQL there.
     *
     * @throws DataDirectoryInUse if another live instance owns the directory
     */
    public static EmbeddedPostgresServer start(EmbeddedPostgresConfiguration configuration) {
        Path dataDir = Path.of(configuration.getDataDir()).toAbsolutePath().normalize();
        try {
            Files.createDirectories(dataDir.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("could not create " + dataDir.getParent() + " for the embedded PostgreSQL", e);
        }
        DataDirectoryLock lock = DataDirectoryLock.acquire(dataDir);
        try {
            stopOrphanedServer(dataDir);
            EmbeddedPostgres postgres = launch(dataDir, configuration.getPort(), configuration.getStartupTimeout());
            EmbeddedPostgresServer server = new EmbeddedPostgresServer(lock, dataDir, postgres,
                    configuration.getStartupTimeout());
            LOG.info("event=embedded_postgres_started dataDir={} port={} pid={} lockFile={} hint=\"events are kept in "
                            + "dataDir between runs; to use your own PostgreSQL instead set "
                            + "DATASOURCES_DEFAULT_URL=jdbc:postgresql://host:5432/db, DATASOURCES_DEFAULT_USERNAME and "
                            + "DATASOURCES_DEFAULT_PASSWORD\"",
                    dataDir, server.port, server.postmaster.pid(), lock.lockFile());
            return server;
        } catch (IOException e) {
            lock.close();
            throw new UncheckedIOException("could not start the embedded PostgreSQL in " + dataDir + " ("
                    + e.getMessage() + "); set eventstore.embedded.data-dir to another directory, or "
                    + "DATASOURCES_DEFAULT_URL to use your own PostgreSQL", e);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    private static EmbeddedPostgres launch(Path dataDir, int port, Duration startupWait) throws IOException {
        return EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setPort(port)
                .setPGStartupWait(startupWait)
                // Stopped by close(), after the beans that use it; the library's own JVM shutdown hook
                // would stop it at once, while projections and listeners still read from it.
                .setRegisterShutdownHook(false)
                // The library's defaults favour throwaway test databases; this one keeps real data.
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on")
                .setServerConfig("listen_addresses", "localhost")
                .setServerConfig("max_connections", "200")
                .start();
    }

    /*
     * A service killed without a chance to stop its PostgreSQL leaves the server running on the
     * data directory, and PostgreSQL would refuse to start a second time. This process holds the
     * directory's lock, so the instance that started that server is gone: the server is an orphan.
     */
    private static void stopOrphanedServer(Path dataDir) {
        Optional<ProcessHandle> orphan = Postmaster.of(dataDir);
        if (orphan.isEmpty()) {
            return;
        }
        LOG.warn("event=embedded_postgres_orphan pid={} dataDir={} action=stopping "
                + "reason=\"a previous run ended without stopping its PostgreSQL\"", orphan.get().pid(), dataDir);
        Postmaster.stop(orphan.get(), ORPHAN_STOP_GRACE_SECONDS);
    }

    @Override
    public synchronized boolean hasDied() {
        return !closed && !postmaster.isAlive();
    }

    /**
     * Starts the server again on the same data directory and port, after its postmaster died: the
     * connection pools keep their URL and reconnect by themselves, and PostgreSQL recovers every
     * committed transaction from its write-ahead log.
     *
     * @return false if the server was closed meanwhile, and so not restarted
     */
    @Override
    public synchronized boolean restart() throws IOException {
        if (closed) {
            return false;
        }
        // Releases the library's hold on the directory; its attempt to stop the dead server fails quietly.
        postgres.close();
        // A server that an earlier, failed attempt started after all (a slow recovery) is ours too.
        Postmaster.of(dataDir).ifPresent(started -> Postmaster.stop(started, ORPHAN_STOP_GRACE_SECONDS));
        awaitLeftoverProcesses();
        /*
         * The library locks <dataDir>/epg-lock while a server runs and, after a failed start, never
         * lets go of that file (its shutdown hook keeps the lock). A new file is a new lock, free for
         * this attempt; safe, because this process holds the directory's own lock.
         */
        Files.deleteIfExists(dataDir.resolve("epg-lock"));
        postgres = launch(dataDir, port, startupWait);
        postmaster = Postmaster.of(dataDir).orElseThrow(() -> new IOException(
                "PostgreSQL answered on port " + port + " but postmaster.pid in " + dataDir + " names no running server"));
        return true;
    }

    /*
     * A dead postmaster's backends notice within a moment and exit; until they have, the old shared
     * memory is in use and a new server refuses to start.
     */
    private void awaitLeftoverProcesses() {
        long deadline = System.nanoTime() + LEFTOVER_WAIT.toNanos();
        while (Postmaster.processesLeftIn(dataDir) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public String describe() {
        return "dataDir=" + dataDir + " port=" + port + " pid=" + postmaster.pid();
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port + "/postgres?user=postgres";
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The running server's process (a new one after a restart). */
    public ProcessHandle postmaster() {
        return postmaster;
    }

    @Override
    public synchronized void close() {
        closed = true;
        try {
            postgres.close();
            Optional<ProcessHandle> stillRunning = Postmaster.of(dataDir);
            // A postmaster that was asked to stop may take a moment to exit on a busy machine.
            if (stillRunning.isPresent()) {
                Postmaster.stop(stillRunning.get(), STOP_GRACE_SECONDS);
                stillRunning = Postmaster.of(dataDir);
            }
            if (stillRunning.isPresent()) {
                LOG.warn("event=embedded_postgres_stop_failed dataDir={} pid={} hint=\"PostgreSQL is still running; "
                        + "the next start stops it\"", dataDir, stillRunning.get().pid());
            } else {
                LOG.info("event=embedded_postgres_stopped dataDir={}", dataDir);
            }
        } catch (IOException e) {
            LOG.warn("event=embedded_postgres_stop_failed dataDir={} error=\"{}\"", dataDir, e.getMessage());
        } finally {
            lock.close();
        }
    }
}
