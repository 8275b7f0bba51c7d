package org.pgeventstore.bootstrap;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import javax.sql.DataSource;
import org.pgeventstore.adapters.postgres.PostgresApiKeys;
import org.pgeventstore.application.access.ApiKeyService;
import org.pgeventstore.application.access.ApiKeys;

/** Wires the API keys to PostgreSQL. */
@Factory
public class AccessFactory {

    @Singleton
    ApiKeys apiKeys(DataSource dataSource) {
        return new PostgresApiKeys(dataSource);
    }

    /** A key's roles are remembered for {@code eventstore.security.key-cache} (1 s): a revocation reaches every instance within it. */
    @Singleton
    ApiKeyService apiKeyService(ApiKeys keys, @Value("${eventstore.security.key-cache:1s}") Duration cacheFor) {
        return new ApiKeyService(keys, Clock.systemUTC(), cacheFor);
    }
}
