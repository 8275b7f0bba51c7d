package org.pgeventstore.bootstrap;

import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * The embedded PostgreSQL that runs when no {@code datasources.default.url} is configured,
 * under {@code eventstore.embedded}.
 */
@ConfigurationProperties("eventstore.embedded")
public class EmbeddedPostgresConfiguration {

    private String dataDir = "./data/postgres";
    private int port;
    private int poolSize = 16;

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
}
