package org.pgeventstore.bootstrap;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.pgeventstore.adapters.postgres.PostgresEventStore;
import org.pgeventstore.application.eventstore.EventStore;
import org.pgeventstore.application.feed.FeedHorizon;
import org.pgeventstore.application.feed.FeedStall;
import org.pgeventstore.application.feed.HorizonHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks, every {@code eventstore.feed.monitor-interval}, at what holds the global feed back, keeps
 * the figures for the metrics, and logs a warning when events have been withheld for longer than
 * {@code eventstore.feed.stall-warning-after}, naming the transaction that holds them and how to
 * end it (again every time that long passes, and once when the stall ends). It also aligns the
 * positions with the cluster, which is a no-op unless the database was restored or cut over
 * while the service ran (ADR 1).
 */
@Context
public class FeedMonitor {

    private static final Logger LOG = LoggerFactory.getLogger(FeedMonitor.class);

    private final FeedHorizon horizon;
    private final EventStore store;
    private final FeedConfiguration configuration;
    private final AtomicReference<FeedStall> latest = new AtomicReference<>(FeedStall.NONE);
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("feed-monitor").daemon().factory());
    private Duration warnedAt = Duration.ZERO;
    private boolean failing;

    public FeedMonitor(FeedHorizon horizon, @Named(EventStoreFactory.PRIMARY) EventStore store, FeedConfiguration configuration, MeterRegistry meters) {
        this.horizon = horizon;
        this.store = store;
        this.configuration = configuration;
        Gauge.builder("eventstore.feed.withheld.events", latest, stall -> stall.get().withheldEvents())
                .description("Events committed but not yet handed out by the global feed (counted up to 100,000)")
                .register(meters);
        Gauge.builder("eventstore.feed.withheld.seconds", latest, stall -> seconds(stall.get().oldestWithheld()))
                .description("How long the oldest withheld event has waited")
                .baseUnit("seconds")
                .register(meters);
        Gauge.builder("eventstore.feed.horizon.holder.seconds", latest,
                        stall -> stall.get().holder().map(holder -> seconds(holder.age())).orElse(0.0))
                .description("Age of the transaction that holds the feed back, 0 when none does")
                .baseUnit("seconds")
                .register(meters);
        long every = configuration.getMonitorInterval().toMillis();
        timer.scheduleWithFixedDelay(this::look, every, every, TimeUnit.MILLISECONDS);
    }

    /** The figures of the latest look. */
    public FeedStall latest() {
        return latest.get();
    }

    synchronized void look() {
        try {
            if (store instanceof PostgresEventStore postgres) {
                postgres.alignPositions();
            }
            FeedStall stall = horizon.current();
            latest.set(stall);
            report(stall);
            failing = false;
        } catch (RuntimeException unavailable) {
            if (!failing) {
                LOG.warn("event=feed_monitor_failed error=\"{}\" effect=\"the feed's withheld figures are not updated until "
                        + "the database answers again\"", unavailable.getMessage());
            }
            failing = true;
        }
    }

    private void report(FeedStall stall) {
        Duration threshold = configuration.getStallWarningAfter();
        if (!stall.stalled() || stall.oldestWithheld().compareTo(threshold) < 0) {
            if (!warnedAt.isZero() && !stall.stalled()) {
                LOG.info("event=feed_stall_ended effect=\"the global feed hands out events again\"");
                warnedAt = Duration.ZERO;
            }
            return;
        }
        if (!warnedAt.isZero() && stall.oldestWithheld().minus(warnedAt).compareTo(threshold) < 0) {
            return;
        }
        warnedAt = stall.oldestWithheld();
        if (stall.holder().isEmpty()) {
            LOG.warn("event=feed_stalled withheldEvents={} withheldSeconds={} holder=unknown reason=\"a transaction older "
                            + "than these events is still open on the database server\" action=\"find it with SELECT pid, "
                            + "datname, usename, xact_start, state, query FROM pg_stat_activity WHERE backend_xid IS NOT NULL "
                            + "ORDER BY age(backend_xid) DESC, and SELECT * FROM pg_prepared_xacts; grant pg_read_all_stats to "
                            + "the service's role to have it named here\"",
                    stall.withheldEvents(), (long) seconds(stall.oldestWithheld()));
            return;
        }
        HorizonHolder holder = stall.holder().get();
        LOG.warn("event=feed_stalled withheldEvents={} withheldSeconds={} holderKind={} holderPid={} holderGid={} "
                        + "holderDatabase={} holderUser={} holderApplication=\"{}\" holderClient={} holderState=\"{}\" "
                        + "holderSeconds={} holderQuery=\"{}\" reason=\"this transaction is older than the withheld events "
                        + "and still open; no consumer sees them until it ends\" action=\"{}\"",
                stall.withheldEvents(), (long) seconds(stall.oldestWithheld()), holder.kind(), holder.pid(), holder.gid(),
                holder.database(), holder.user(), holder.applicationName(), holder.clientAddress(), holder.state(),
                (long) seconds(holder.age()), holder.query() == null ? "" : holder.query().replace('"', '\''),
                holder.remedy());
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }

    @PreDestroy
    void stop() {
        timer.shutdownNow();
    }
}
