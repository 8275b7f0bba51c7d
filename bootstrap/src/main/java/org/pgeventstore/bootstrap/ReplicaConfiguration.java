package org.pgeventstore.bootstrap;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;

/**
 * A streaming replica (a hot standby) that serves reads, under {@code eventstore.replica}; see
 * docs/scaling-out.md. Without {@code url} every read goes to the primary, as before.
 */
@ConfigurationProperties("eventstore.replica")
public class ReplicaConfiguration {

    private String url;
    private String user;
    private String password;
    private int poolSize = 10;
    private Duration readYourWritesTimeout = Duration.ofSeconds(2);
    private Duration maxLag = Duration.ofSeconds(30);
    private Duration probeInterval = Duration.ofSeconds(1);

    /** The standby's JDBC URL ({@code EVENTSTORE_REPLICA_URL}). */
    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    /** The role on the standby ({@code EVENTSTORE_REPLICA_USER}); the primary's role replicates there too. */
    public String getUser() {
        return user;
    }

    public void setUser(String user) {
        this.user = user;
    }

    public String getPassword() {
        return password;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    /** Connections of the replica's pool, apart from the primary's. */
    public int getPoolSize() {
        return poolSize;
    }

    public void setPoolSize(int poolSize) {
        this.poolSize = poolSize;
    }

    /** How long a read with {@code minPosition} waits for the replica to replay it before it goes to the primary. */
    public Duration getReadYourWritesTimeout() {
        return readYourWritesTimeout;
    }

    public void setReadYourWritesTimeout(Duration readYourWritesTimeout) {
        this.readYourWritesTimeout = readYourWritesTimeout;
    }

    /** Readiness is DOWN while the replica's replay delay is above this. */
    public Duration getMaxLag() {
        return maxLag;
    }

    public void setMaxLag(Duration maxLag) {
        this.maxLag = maxLag;
    }

    /** How often the replica's lag is read, and how soon reads return to it after an outage. */
    public Duration getProbeInterval() {
        return probeInterval;
    }

    public void setProbeInterval(Duration probeInterval) {
        this.probeInterval = probeInterval;
    }
}
