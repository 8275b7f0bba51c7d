package org.pgeventstore.bootstrap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.time.Clock;
import javax.sql.DataSource;
import org.pgeventstore.adapters.postgres.projection.PostgresFeedBacklog;
import org.pgeventstore.adapters.postgres.subscription.PostgresSubscriptions;
import org.pgeventstore.application.eventstore.EventStore;
import org.pgeventstore.application.feed.AppendSignal;
import org.pgeventstore.application.subscription.SubscriptionMetrics;
import org.pgeventstore.application.subscription.SubscriptionService;

/**
 * Wires the consumer groups: their definitions and checkpoints in PostgreSQL, on the API's pool
 * with its statement bound (a waiting poll holds no connection), woken by the {@link AppendSignal}.
 */
@Factory
public class SubscriptionFactory {

    @Singleton
    SubscriptionService subscriptionService(DataSource dataSource, DatabaseTimeouts timeouts, EventStore events,
                                            AppendSignal signal, SubscriptionConfiguration configuration,
                                            MeterRegistry meters) {
        DataSource bounded = BoundedDataSource.of(dataSource, timeouts.getSocketTimeout());
        return new SubscriptionService(new PostgresSubscriptions(bounded), events, new PostgresFeedBacklog(bounded), signal,
                Clock.systemUTC(), configuration.settings(), metrics(meters));
    }

    /**
     * {@code eventstore.subscription.delivered.events} and {@code eventstore.subscription.acknowledgements},
     * per subscription; the position and lag of each are in GET /api/subscriptions.
     */
    private static SubscriptionMetrics metrics(MeterRegistry meters) {
        return new SubscriptionMetrics() {
            @Override
            public void delivered(String subscription, int events) {
                Counter.builder("eventstore.subscription.delivered.events")
                        .description("Events handed out by polls of a consumer group (again when not acknowledged)")
                        .tag("subscription", subscription)
                        .register(meters)
                        .increment(events);
            }

            @Override
            public void acknowledged(String subscription, int member, long position) {
                Counter.builder("eventstore.subscription.acknowledgements")
                        .description("Acknowledgements received by a consumer group")
                        .tag("subscription", subscription)
                        .register(meters)
                        .increment();
            }
        };
    }
}
