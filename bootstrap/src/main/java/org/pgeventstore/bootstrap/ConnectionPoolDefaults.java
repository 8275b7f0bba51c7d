package org.pgeventstore.bootstrap;

import io.micronaut.configuration.jdbc.hikari.DatasourceConfiguration;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.env.Environment;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;
import java.time.Duration;

/**
 * Makes a configured connection pool give up quickly when PostgreSQL is unreachable, so that
 * clients get a 503 with Retry-After in seconds instead of hanging for the pool's default 30 s.
 * Applied to the pool's configuration before the pool is built; an explicit
 * {@code datasources.<name>.connection-timeout} wins.
 */
@Singleton
public class ConnectionPoolDefaults implements BeanCreatedEventListener<DatasourceConfiguration> {

    private final Environment environment;
    private final Duration connectionTimeout;

    public ConnectionPoolDefaults(Environment environment,
                                  @Value("${eventstore.database.connection-timeout:3s}") Duration connectionTimeout) {
        this.environment = environment;
        this.connectionTimeout = connectionTimeout;
    }

    @Override
    public DatasourceConfiguration onCreated(BeanCreatedEvent<DatasourceConfiguration> event) {
        DatasourceConfiguration configuration = event.getBean();
        if (!environment.containsProperty("datasources." + configuration.getName() + ".connection-timeout")) {
            configuration.setConnectionTimeout(connectionTimeout.toMillis());
        }
        return configuration;
    }

    /** The timeout for pools the service builds itself (the embedded database's). */
    public Duration connectionTimeout() {
        return connectionTimeout;
    }
}
