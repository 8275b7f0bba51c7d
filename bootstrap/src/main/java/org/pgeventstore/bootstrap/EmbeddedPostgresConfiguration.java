package org.pgeventstore.bootstrap;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;

/**
 * The embedded PostgreSQL that runs when no {@code datasources.default.url} is configured,
 * under {@code eventstore.embedded}.
 */
@ConfigurationProperties("eventstore.embedded")
public class EmbeddedPostgresConfiguration {

    private String dataDir = "./data/postgres";
    private int port;
    private int poolSize = 16;
    private Duration startupTimeout = Duration.ofSeconds(60);
    private int restartAttempts = 5;
    private Duration restartDelay = Duration.ofSeconds(1);
    private Duration restartMaxDelay = Duration.ofSeconds(15);

    /** Where the database files live; kept between runs. */
    public String getDataDir() {
        return dataDir;
    }

    public void setDataDir(String dataDir) {
        this.dataDir = dataDir;
    }

    /** The port PostgreSQL listens on (localhost only); 0 picks a free one at each start. */
    public int getPort() {
        return port;
    }

    public void setPort(int port) {
        this.port = port;
    }

    public int getPoolSize() {
        return poolSize;
    }

    public void setPoolSize(int poolSize) {
        this.poolSize = poolSize;
    }

    /** How long a start or restart may take, crash recovery included, before it counts as failed. */
    public Duration getStartupTimeout() {
        return startupTimeout;
    }

    public void setStartupTimeout(Duration startupTimeout) {
        this.startupTimeout = startupTimeout;
    }

    /** Tries to restart a PostgreSQL that died, before the service exits with status 1. */
    public int getRestartAttempts() {
        return restartAttempts;
    }

    public void setRestartAttempts(int restartAttempts) {
        this.restartAttempts = restartAttempts;
    }

    /** The pause after the first failed restart; it doubles after each further one, up to the maximum. */
    public Duration getRestartDelay() {
        return restartDelay;
    }

    public void setRestartDelay(Duration restartDelay) {
        this.restartDelay = restartDelay;
    }

    public Duration getRestartMaxDelay() {
        return restartMaxDelay;
    }

    public void setRestartMaxDelay(Duration restartMaxDelay) {
        this.restartMaxDelay = restartMaxDelay;
    }

    EmbeddedPostgresSupervisor.RestartPolicy restartPolicy() {
        return new EmbeddedPostgresSupervisor.RestartPolicy(restartAttempts, restartDelay, restartMaxDelay);
    }
}
