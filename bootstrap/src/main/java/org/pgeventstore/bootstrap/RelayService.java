package org.pgeventstore.bootstrap;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.runtime.server.event.ServerShutdownEvent;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import javax.sql.DataSource;
import org.pgeventstore.adapters.nats.JetStreamEventPublisher;
import org.pgeventstore.adapters.postgres.PostgresEventStore;
import org.pgeventstore.adapters.postgres.projection.PostgresFeedBacklog;
import org.pgeventstore.adapters.postgres.projection.PostgresProjectionLeases;
import org.pgeventstore.adapters.postgres.relay.PostgresRelayCheckpoint;
import org.pgeventstore.application.feed.AppendSignal;
import org.pgeventstore.application.relay.EventRelay;
import org.pgeventstore.application.relay.RelayMessages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the relay of the global feed to NATS JetStream ({@link EventRelay}) when
 * {@code eventstore.nats.url} is set: on a small connection pool of its own (lease, feed reads and
 * checkpoint, the metrics' counts), under the lease {@value #NAME}, so that one instance relays at
 * a time and another takes over as it does for the projections. Publishes the metrics
 * {@code relay.lag.events}, {@code relay.broker.reachable}, {@code relay.events.published},
 * {@code relay.events.duplicates} and {@code relay.batches.failed}, tagged {@code relay=nats-relay}.
 */
@Singleton
@Requires(property = "eventstore.nats.url")
public class RelayService implements ApplicationEventListener<StartupEvent> {

    /** The relay's checkpoint and lease name. */
    public static final String NAME = "nats-relay";
    private static final Logger LOG = LoggerFactory.getLogger(RelayService.class);
    /** Lease, feed reads and checkpoint, and the metrics' counts. */
    private static final int POOL_SIZE = 3;

    private final ProjectionPool pool;
    private final EventRelay relay;

    public RelayService(RelayConfiguration configuration, ProjectionConfiguration projections,
                        JetStreamEventPublisher publisher, DataSource dataSource, AppendSignal signal,
                        MeterRegistry meters) {
        this.pool = ProjectionPool.sameDatabaseAs(dataSource, "relay", POOL_SIZE, projections.getSocketTimeout());
        DataSource connections = pool.dataSource();
        this.relay = new EventRelay(new PostgresRelayCheckpoint(connections, NAME), new PostgresEventStore(connections),
                publisher, new RelayMessages(configuration.getSubjectPrefix()),
                configuration.relay(projections.getTakeoverInterval()),
                new PostgresProjectionLeases(connections, projections.getLeaseTimeout()), signal,
                new PostgresFeedBacklog(connections), publisher.target());
        registerMetrics(meters);
    }

    private void registerMetrics(MeterRegistry meters) {
        Gauge.builder("relay.lag.events", relay, r -> {
                    try {
                        return r.lagEvents();
                    } catch (RuntimeException databaseUnavailable) {
                        return -1;
                    }
                })
                .description("Events of the feed not yet acknowledged by JetStream (capped at "
                        + PostgresFeedBacklog.COUNT_CAP + "; -1 when the database did not answer)")
                .tag("relay", NAME).register(meters);
        Gauge.builder("relay.broker.reachable", relay, r -> r.brokerReachable() ? 1 : 0)
                .description("1 while JetStream acknowledges what the relay sends, 0 from a batch it did not")
                .tag("relay", NAME).register(meters);
        FunctionCounter.builder("relay.events.published", relay, EventRelay::publishedEvents)
                .description("Events this instance had acknowledged by JetStream, duplicates included")
                .tag("relay", NAME).register(meters);
        FunctionCounter.builder("relay.events.duplicates", relay, EventRelay::duplicateEvents)
                .description("Events JetStream already held when this instance sent them again (dropped by Nats-Msg-Id)")
                .tag("relay", NAME).register(meters);
        FunctionCounter.builder("relay.batches.failed", relay, EventRelay::failedBatches)
                .description("Batches JetStream did not acknowledge whole; each is sent again from the checkpoint")
                .tag("relay", NAME).register(meters);
    }

    @Override
    public void onApplicationEvent(StartupEvent event) {
        LOG.info("event=relay_configured relay={} target=\"{}\"", NAME, relay.status().orElseThrow().target());
        relay.start();
    }

    /** Stops the relay as soon as the HTTP server stops, before the data source goes (see ProjectionService). */
    @EventListener
    void onServerShutdown(ServerShutdownEvent event) {
        relay.stop();
    }

    @PreDestroy
    void stop() {
        relay.stop();
        pool.close();
    }

    public EventRelay relay() {
        return relay;
    }
}
