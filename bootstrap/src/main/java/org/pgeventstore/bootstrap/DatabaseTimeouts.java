package org.pgeventstore.bootstrap;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;

/**
 * How long the service waits for PostgreSQL, under {@code eventstore.database}: for a connection
 * from the pool, and for the answer to a statement. A request that runs out of either gets 503
 * with Retry-After instead of hanging with the database (a stalled disk, a black-holed network).
 */
@ConfigurationProperties("eventstore.database")
public class DatabaseTimeouts {

    private Duration connectionTimeout = Duration.ofSeconds(3);
    private Duration socketTimeout = Duration.ofSeconds(5);
    private Duration adminSocketTimeout = Duration.ofMinutes(2);

    /** The longest a request waits for a free connection (unless {@code datasources.<name>.connection-timeout} is set). */
    public Duration getConnectionTimeout() {
        return connectionTimeout;
    }

    public void setConnectionTimeout(Duration connectionTimeout) {
        this.connectionTimeout = connectionTimeout;
    }

    /**
     * The longest a request's statement waits for PostgreSQL to answer; then the connection is
     * dropped and the request answered 503. 0 waits for ever.
     */
    public Duration getSocketTimeout() {
        return socketTimeout;
    }

    public void setSocketTimeout(Duration socketTimeout) {
        this.socketTimeout = socketTimeout;
    }

    /** The same for the operator's statistics ({@code GET /api/admin/stats}), which read the whole log. */
    public Duration getAdminSocketTimeout() {
        return adminSocketTimeout;
    }

    public void setAdminSocketTimeout(Duration adminSocketTimeout) {
        this.adminSocketTimeout = adminSocketTimeout;
    }
}
