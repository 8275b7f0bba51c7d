package org.pgeventstore.bootstrap;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.flyway.FlywayConfigurationProperties;
import io.micronaut.flyway.FlywayMigrator;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.pgeventstore.application.aggregate.Sleeper;

/**
 * The database when none is configured: an embedded PostgreSQL whose data survives
 * restarts, supervised so that it is started again if it dies. With
 * {@code datasources.default.url} set (e.g. through {@code DATASOURCES_DEFAULT_URL}) this
 * factory stands aside and Micronaut's own Hikari pool connects to that server. Flyway
 * migrates either one at startup.
 */
@Factory
@Requires(missingProperty = "datasources.default.url")
public class DatabaseFactory {

    @Singleton
    @Bean(preDestroy = "close")
    EmbeddedPostgresServer embeddedPostgres(EmbeddedPostgresConfiguration configuration) {
        return EmbeddedPostgresServer.start(configuration);
    }

    /** Restarts the embedded PostgreSQL if it dies; if it cannot, the service exits for its supervisor to restart it. */
    @Context
    @Bean(preDestroy = "close")
    EmbeddedPostgresSupervisor embeddedPostgresSupervisor(EmbeddedPostgresServer server,
                                                          EmbeddedPostgresConfiguration configuration) {
        return new EmbeddedPostgresSupervisor(server, configuration.restartPolicy(), Sleeper.THREAD_SLEEP,
                () -> System.exit(1)).start();
    }

    @Singleton
    @Named("default")
    @Bean(preDestroy = "close")
    HikariDataSource dataSource(EmbeddedPostgresServer server, EmbeddedPostgresConfiguration configuration,
                                FlywayMigrator migrator, @Named("default") FlywayConfigurationProperties flyway,
                                ConnectionPoolDefaults poolDefaults) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(server.jdbcUrl());
        config.setUsername("postgres");
        config.setMaximumPoolSize(configuration.getPoolSize());
        config.setPoolName("embedded");
        config.setConnectionTimeout(poolDefaults.connectionTimeout().toMillis());
        config.setValidationTimeout(poolDefaults.validationTimeout().toMillis());
        HikariDataSource dataSource = new HikariDataSource(config);
        // Flyway's own listener migrates only the pools Micronaut configures from datasources.*;
        // this one is ours, so it is migrated here with the same flyway.datasources.default settings.
        migrator.run(flyway, dataSource);
        return dataSource;
    }
}
