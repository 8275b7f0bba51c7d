package org.pgeventstore.bootstrap;

import com.zaxxer.hikari.HikariDataSource;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.env.Environment;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;
import java.time.Duration;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the connection pool give up quickly when PostgreSQL is unreachable, so that clients get
 * a 503 with Retry-After in seconds instead of hanging for the pool's default 30 s. An explicit
 * {@code datasources.default.connection-timeout} wins.
 */
@Singleton
public class ConnectionPoolDefaults implements BeanCreatedEventListener<DataSource> {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionPoolDefaults.class);

    private final Environment environment;
    private final Duration connectionTimeout;

    public ConnectionPoolDefaults(Environment environment,
                                  @Value("${eventstore.database.connection-timeout:3s}") Duration connectionTimeout) {
        this.environment = environment;
        this.connectionTimeout = connectionTimeout;
    }

    @Override
    public DataSource onCreated(BeanCreatedEvent<DataSource> event) {
        if (event.getBean() instanceof HikariDataSource pool
                && !environment.containsProperty("datasources.default.connection-timeout")) {
            pool.getHikariConfigMXBean().setConnectionTimeout(connectionTimeout.toMillis());
            LOG.debug("event=pool_connection_timeout pool={} millis={}", pool.getPoolName(), connectionTimeout.toMillis());
        }
        return event.getBean();
    }
}
