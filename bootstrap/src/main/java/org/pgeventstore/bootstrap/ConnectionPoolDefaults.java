package org.pgeventstore.bootstrap;

import io.micronaut.configuration.jdbc.hikari.DatasourceConfiguration;
import io.micronaut.context.env.Environment;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;
import java.time.Duration;

/**
 * Makes a configured connection pool give up quickly when PostgreSQL is unreachable or hung, so
 * that clients get a 503 with Retry-After in seconds instead of hanging for the pool's default
 * 30 s: it waits at most the connection timeout for a connection, and at most
 * {@link #validationTimeout()} for the check of an idle connection it hands out (the pool's own
 * default, 5 s, would outlast the connection timeout). Applied to the pool's configuration before
 * the pool is built; an explicit {@code datasources.<name>.connection-timeout} or
 * {@code validation-timeout} wins.
 */
@Singleton
public class ConnectionPoolDefaults implements BeanCreatedEventListener<DatasourceConfiguration> {

    private static final Duration LONGEST_VALIDATION = Duration.ofSeconds(2);

    private final Environment environment;
    private final Duration connectionTimeout;

    public ConnectionPoolDefaults(Environment environment, DatabaseTimeouts timeouts) {
        this.environment = environment;
        this.connectionTimeout = timeouts.getConnectionTimeout();
    }

    @Override
    public DatasourceConfiguration onCreated(BeanCreatedEvent<DatasourceConfiguration> event) {
        DatasourceConfiguration configuration = event.getBean();
        if (!environment.containsProperty("datasources." + configuration.getName() + ".connection-timeout")) {
            configuration.setConnectionTimeout(connectionTimeout.toMillis());
        }
        if (!environment.containsProperty("datasources." + configuration.getName() + ".validation-timeout")) {
            configuration.setValidationTimeout(validationTimeout(Duration.ofMillis(configuration.getConnectionTimeout()))
                    .toMillis());
        }
        return configuration;
    }

    /** The timeout for pools the service builds itself (the embedded database's). */
    public Duration connectionTimeout() {
        return connectionTimeout;
    }

    /** How long the check of an idle connection may take in pools the service builds itself. */
    public Duration validationTimeout() {
        return validationTimeout(connectionTimeout);
    }

    /** 2 s, or the pool's connection timeout if shorter. */
    private static Duration validationTimeout(Duration poolConnectionTimeout) {
        return poolConnectionTimeout.compareTo(LONGEST_VALIDATION) < 0 ? poolConnectionTimeout : LONGEST_VALIDATION;
    }
}
