package org.pgeventstore.bootstrap;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import org.pgeventstore.adapters.nats.JetStreamEventPublisher;
import org.pgeventstore.application.relay.RelayMonitor;

/**
 * Wires the relay to NATS JetStream when {@code eventstore.nats.url} is set ({@link RelayService}
 * runs it), and what {@code GET /api/admin/stats} shows of it either way.
 */
@Factory
public class RelayFactory {

    @Singleton
    @Requires(property = "eventstore.nats.url")
    @Bean(preDestroy = "close")
    JetStreamEventPublisher natsPublisher(RelayConfiguration configuration) {
        return new JetStreamEventPublisher(configuration.jetStream());
    }

    @Singleton
    @Requires(property = "eventstore.nats.url")
    RelayMonitor relayMonitor(RelayService service) {
        return service.relay();
    }

    @Singleton
    @Requires(missingProperty = "eventstore.nats.url")
    RelayMonitor noRelay() {
        return RelayMonitor.NONE;
    }
}
