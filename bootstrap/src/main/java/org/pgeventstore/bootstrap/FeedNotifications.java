package org.pgeventstore.bootstrap;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.runtime.server.event.ServerShutdownEvent;
import jakarta.annotation.PreDestroy;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;
import org.pgeventstore.adapters.postgres.feed.NotificationChannel;
import org.pgeventstore.adapters.postgres.feed.PostgresAppendListener;
import org.pgeventstore.adapters.postgres.feed.PostgresAppendNotifier;
import org.pgeventstore.application.feed.AppendSignal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The wake-up of feed readers (projection runners, event streams) in every instance: after each
 * append committed here, {@link #appended()} raises this instance's {@link AppendSignal} and has
 * the notifier tell the others; the listener raises the signal when any instance's notification
 * arrives. Without notifications (disabled, or the listener cannot receive them) readers of other
 * instances find new events at their polling interval.
 */
@Context
public class FeedNotifications {

    private static final Logger LOG = LoggerFactory.getLogger(FeedNotifications.class);

    private boolean stopped;

    private final AppendSignal signal;
    private final Optional<PostgresAppendNotifier> notifier;
    private final Optional<PostgresAppendListener> listener;

    public FeedNotifications(AppendSignal signal, DataSource dataSource, FeedNotificationsConfiguration configuration,
                             MeterRegistry meters) {
        this.signal = signal;
        if (!configuration.isEnabled()) {
            LOG.info("event=append_notifications_disabled effect=\"readers see events appended by other instances at "
                    + "their polling interval\"");
            notifier = Optional.empty();
            listener = Optional.empty();
            return;
        }
        NotificationChannel channel = channel(configuration.getChannel(), dataSource);
        notifier = Optional.of(new PostgresAppendNotifier(channel, configuration.getMinInterval()));
        listener = Optional.of(new PostgresAppendListener(channel, signal::signal));
        FunctionCounter.builder("eventstore.feed.notifications.sent", notifier.get(), PostgresAppendNotifier::sent)
                .description("Notifications this instance sent to wake the readers of every instance after appends")
                .register(meters);
        FunctionCounter.builder("eventstore.feed.notifications.received", listener.get(), PostgresAppendListener::received)
                .description("Notifications this instance received (its own included)")
                .register(meters);
        Gauge.builder("eventstore.feed.notifications.listener.connected", listener.get(),
                        listening -> listening.connected() ? 1 : 0)
                .description("1 while this instance receives notifications, 0 while its readers rely on polling")
                .register(meters);
    }

    /** Events were appended and their transaction committed. */
    public void appended() {
        signal.signal();
        notifier.ifPresent(PostgresAppendNotifier::appended);
    }

    /** The listener, when notifications are enabled. */
    public Optional<PostgresAppendListener> listener() {
        return listener;
    }

    /** The notifier, when notifications are enabled. */
    public Optional<PostgresAppendNotifier> notifier() {
        return notifier;
    }

    /** The channel on the database of the service's pool, with its credentials. */
    private static NotificationChannel channel(String name, DataSource dataSource) {
        try {
            HikariDataSource pool = dataSource.unwrap(HikariDataSource.class);
            return new NotificationChannel(name, pool.getJdbcUrl(), pool.getUsername(), pool.getPassword());
        } catch (SQLException e) {
            throw new IllegalStateException("the notification connections copy the settings of the default datasource, "
                    + "which must be a Hikari pool", e);
        }
    }

    /** Stops listening as soon as the HTTP server stops, before the database goes (see ProjectionService). */
    @EventListener
    void onServerShutdown(ServerShutdownEvent event) {
        stop();
    }

    @PreDestroy
    synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        listener.ifPresent(PostgresAppendListener::close);
        notifier.ifPresent(PostgresAppendNotifier::close);
    }
}
