package org.pgeventstore.bootstrap;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.runtime.server.event.ServerShutdownEvent;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.pgeventstore.adapters.postgres.PostgresEventStore;
import org.pgeventstore.adapters.postgres.projection.PostgresFeedBacklog;
import org.pgeventstore.adapters.postgres.projection.PostgresProjection;
import org.pgeventstore.adapters.postgres.projection.PostgresProjectionCheckpoints;
import org.pgeventstore.adapters.postgres.projection.PostgresProjectionLeases;
import org.pgeventstore.adapters.postgres.projection.PostgresProjectionRebuild;
import org.pgeventstore.application.eventstore.EventStore;
import org.pgeventstore.application.feed.AppendSignal;
import org.pgeventstore.application.order.readmodel.OrderProjection;
import org.pgeventstore.application.projection.ParkedStream;
import org.pgeventstore.application.projection.ParkedStreams;
import org.pgeventstore.application.projection.ProjectionInfo;
import org.pgeventstore.application.projection.ProjectionLease;
import org.pgeventstore.application.projection.ProjectionOperations;
import org.pgeventstore.application.projection.ProjectionRebuild;
import org.pgeventstore.application.projection.ProjectionRunner;
import org.pgeventstore.application.projection.ProjectionState;
import org.pgeventstore.application.projection.Reconciliation;
import org.pgeventstore.application.projection.ReconciliationReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the projections ({@link ServedProjection}s) in this instance (when
 * {@code eventstore.projections.enabled}), and answers the operator's routes: list, rebuild,
 * resume, reconciliation, and the parked streams. Publishes the metrics
 * {@code projection.lag.events}, {@code projection.lag.seconds}, {@code projection.events.applied},
 * {@code projection.failures}, {@code projection.parked.streams} and
 * {@code projection.parked.events}, tagged with the projection's name.
 */
@Singleton
public class ProjectionService implements ProjectionOperations, ApplicationEventListener<StartupEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(ProjectionService.class);
    /** How long a rebuild request waits for one that has ended to let go of its lease. */
    private static final Duration FINISHING_REBUILD = Duration.ofSeconds(1);

    private final ProjectionConfiguration configuration;
    private final ProjectionPool pool;
    private final PostgresFeedBacklog backlog;
    private final EventStore feed;
    private final PostgresProjectionLeases leases;
    private final AppendSignal signal;
    private final Map<String, Running> projections = new LinkedHashMap<>();
    private final ExecutorService rebuilds = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().daemon().name("projection-rebuild").factory());

    /** One projection as this service runs it. */
    private record Running(PostgresProjection projection, PostgresProjectionCheckpoints store, ProjectionRunner runner,
                           Reconciliation reconciliation, AtomicBoolean rebuilding) {
        String category() {
            return projection.category();
        }
    }

    public ProjectionService(ProjectionConfiguration configuration, List<ServedProjection> served, ProjectionPool pool,
                             AppendSignal signal, MeterRegistry meters, Tracing tracing) {
        this.configuration = configuration;
        this.pool = pool;
        this.signal = signal;
        DataSource connections = tracing.statements(pool.dataSource());
        this.backlog = new PostgresFeedBacklog(connections);
        this.feed = new PostgresEventStore(connections);
        this.leases = new PostgresProjectionLeases(connections, configuration.getLeaseTimeout());
        for (ServedProjection one : served) {
            PostgresProjectionCheckpoints store = one.projection().checkpoints(connections);
            ProjectionRunner runner = new ProjectionRunner(tracing.batches(store), feed, one.projection().filter(),
                    configuration.settings(), leases, signal);
            Running running = new Running(one.projection(), store, runner, one.reconciliation().apply(store),
                    new AtomicBoolean());
            if (projections.putIfAbsent(one.name(), running) != null) {
                throw new IllegalStateException("two projections are named " + one.name());
            }
            registerMetrics(meters, running);
        }
    }

    private void registerMetrics(MeterRegistry meters, Running projection) {
        String name = projection.projection().name();
        ProjectionRunner runner = projection.runner();
        FunctionCounter.builder("projection.events.applied", runner, ProjectionRunner::appliedEvents)
                .description("Events applied to the read model by this instance").tag("projection", name)
                .register(meters);
        FunctionCounter.builder("projection.failures", runner, ProjectionRunner::failures)
                .description("Events given up on after every retry (stopped at or parked)").tag("projection", name)
                .register(meters);
        FunctionCounter.builder("projection.parked.events", runner, ProjectionRunner::parkedEvents)
                .description("Events this instance parked: the ones given up on and the ones found waiting behind them")
                .tag("projection", name).register(meters);
        Gauge.builder("projection.parked.streams", this, service -> service.safely(() -> (double) projection.store().count(), -1))
                .description("Streams the projection holds back behind an event it could not apply (-1 when the "
                        + "database did not answer)")
                .tag("projection", name).register(meters);
        Gauge.builder("projection.lag.events", this, service -> service.safely(() -> (double) service.lagEvents(projection), -1))
                .description("Events of the projection's category not yet applied (capped at "
                        + PostgresFeedBacklog.COUNT_CAP + "; -1 when the database did not answer)")
                .tag("projection", name).register(meters);
        Gauge.builder("projection.lag.seconds", this,
                        service -> service.safely(() -> service.lagTime(projection).toMillis() / 1000.0, -1))
                .description("Age of the oldest event not yet applied (-1 when the database did not answer)")
                .tag("projection", name).register(meters);
    }

    private double safely(java.util.function.DoubleSupplier value, double unavailable) {
        try {
            return value.getAsDouble();
        } catch (RuntimeException e) {
            return unavailable;
        }
    }

    /**
     * Refuses to start behind a transaction-pooling proxy, where the leases (session advisory
     * locks) would exclude nobody; this instance may take leases even with projections disabled,
     * for a rebuild.
     */
    @Override
    public void onApplicationEvent(StartupEvent event) {
        try {
            leases.requireOwnSessions();
        } catch (PostgresProjectionLeases.SessionsShared shared) {
            LOG.error("event=projections_refused reason=transaction_pooling error=\"{}\"", shared.getMessage());
            throw shared;
        }
        if (configuration.isEnabled()) {
            projections.values().forEach(projection -> projection.runner().start());
        } else {
            LOG.info("event=projections_disabled hint=\"this instance serves reads but runs no projection; another "
                    + "instance must run it (eventstore.projections.enabled)\"");
        }
    }

    /**
     * Stops the runners at a batch boundary as soon as the HTTP server stops, which is the first
     * thing a shutdown does: before the data source and the embedded PostgreSQL go, so that no
     * runner finds its database gone and logs that as a failure.
     */
    @EventListener
    void onServerShutdown(ServerShutdownEvent event) {
        stop();
    }

    @PreDestroy
    void stop() {
        projections.values().forEach(projection -> projection.runner().stop());
        rebuilds.shutdownNow();
    }

    /** The runner of projection {@code name}, e.g. for its metrics. */
    public ProjectionRunner runner(String name) {
        return known(name).runner();
    }

    /** The runner of the order projection. */
    public ProjectionRunner orderRunner() {
        return runner(OrderProjection.NAME);
    }

    private long lagEvents(Running projection) {
        return backlog.eventsAfter(projection.category(), projection.store().state().position());
    }

    private Duration lagTime(Running projection) {
        return backlog.oldestWaiting(projection.category(), projection.store().state().position(),
                Clock.systemUTC().instant());
    }

    @Override
    public List<ProjectionInfo> list() {
        return projections.values().stream().map(this::info).toList();
    }

    @Override
    public Optional<ProjectionInfo> find(String name) {
        return Optional.ofNullable(projections.get(name)).map(this::info);
    }

    private ProjectionInfo info(Running projection) {
        // The rebuild first: a failed one restored the live status in the same transaction, so a state
        // read after it never still says rebuilding beside a rebuild that says failed.
        Optional<ProjectionRebuild> rebuild = latestRebuild(projection);
        ProjectionState state = projection.store().state();
        return new ProjectionInfo(state.name(), state.position(),
                backlog.eventsAfter(projection.category(), state.position()),
                backlog.oldestWaiting(projection.category(), state.position(), Clock.systemUTC().instant()),
                state.status(), state.failedPosition(), state.lastError(), projection.store().count(),
                runnerOf(projection), rebuild);
    }

    private ProjectionInfo.Runner runnerOf(Running projection) {
        String name = projection.projection().name();
        if (projection.runner().isActive()) {
            return ProjectionInfo.Runner.THIS_INSTANCE;
        }
        return leases.isHeld(name) ? ProjectionInfo.Runner.ANOTHER_INSTANCE : ProjectionInfo.Runner.NONE;
    }

    /**
     * The latest rebuild as its checkpoint row tells it; one that says it runs while nobody holds
     * its lease (before and after the row was read) was abandoned: its instance stopped mid-way.
     */
    private Optional<ProjectionRebuild> latestRebuild(Running projection) {
        String name = projection.projection().name();
        AtomicBoolean rebuilding = projection.rebuilding();
        String lease = name + PostgresProjectionRebuild.REBUILD_SUFFIX;
        boolean heldBefore = rebuilding.get() || leases.isHeld(lease);
        Optional<ProjectionRebuild> latest = PostgresProjectionRebuild.latest(pool.dataSource(), name);
        if (latest.isEmpty() || latest.get().status() != ProjectionRebuild.Status.RUNNING || heldBefore
                || rebuilding.get() || leases.isHeld(lease)) {
            return latest;
        }
        return Optional.of(latest.get().failed("abandoned: the instance that ran it stopped before it finished; "
                + "POST /api/projections/" + name + "/rebuild starts again"));
    }

    private Running known(String name) {
        Running projection = projections.get(name);
        if (projection == null) {
            throw new UnknownProjection(name);
        }
        return projection;
    }

    /**
     * One rebuild per projection across all instances: the rebuild holds the lease
     * {@code <name>-rebuild} from the request until the swap, so a second request anywhere is a 409.
     */
    @Override
    public void rebuild(String name) {
        Running projection = known(name);
        AtomicBoolean rebuilding = projection.rebuilding();
        ProjectionLease lease = acquireRebuild(name, rebuilding);
        var rebuild = projection.projection().rebuild(pool.dataSource(), feed, configuration.settings());
        try {
            // Before the 202: its answer, and every look after it, shows this rebuild, not the one before.
            rebuild.begin();
            rebuilds.submit(() -> {
                try (ProjectionLease held = lease) {
                    rebuild.run();
                } catch (RuntimeException e) {
                    // Logged by the rebuild, and kept with its checkpoint for GET /api/projections.
                } finally {
                    rebuilding.set(false);
                }
            });
        } catch (RuntimeException e) {
            lease.close();
            rebuilding.set(false);
            throw e;
        }
    }

    /**
     * This instance's rebuild flag and the rebuild lease. A rebuild whose row no longer says it runs
     * is releasing both: that is waited for (a second at most), so a request sent as soon as GET
     * shows the previous rebuild ended is not refused.
     */
    private ProjectionLease acquireRebuild(String name, AtomicBoolean rebuilding) {
        long deadline = System.nanoTime() + FINISHING_REBUILD.toNanos();
        while (true) {
            if (rebuilding.compareAndSet(false, true)) {
                Optional<ProjectionLease> lease;
                try {
                    lease = leases.tryAcquire(name + PostgresProjectionRebuild.REBUILD_SUFFIX);
                } catch (RuntimeException e) {
                    rebuilding.set(false);
                    throw e;
                }
                if (lease.isPresent()) {
                    return lease.get();
                }
                rebuilding.set(false);
            }
            boolean finishing = PostgresProjectionRebuild.latest(pool.dataSource(), name)
                    .map(latest -> latest.status() != ProjectionRebuild.Status.RUNNING).orElse(true);
            if (!finishing || System.nanoTime() > deadline) {
                throw new RebuildInProgress(name);
            }
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
        }
    }

    /** Whether a rebuild started by this instance is still running. */
    public boolean isRebuilding() {
        return projections.values().stream().anyMatch(projection -> projection.rebuilding().get());
    }

    @Override
    public ProjectionInfo resume(String name) {
        Running projection = known(name);
        projection.store().resume();
        // A runner of this instance that stopped there looks again now, not at its next poll.
        signal.signal();
        LOG.info("event=projection_resumed projection={} position={}", name, projection.store().state().position());
        return info(projection);
    }

    @Override
    public List<ParkedStream> parked(String name, int limit) {
        return known(name).store().list(limit);
    }

    @Override
    public Optional<ParkedStream> parked(String name, String streamId) {
        return known(name).store().find(streamId);
    }

    @Override
    public ParkedStreams.Resumed resumeStream(String name, String streamId, String resumedBy) {
        ParkedStreams.Resumed resumed = known(name).store().resume(streamId, resumedBy);
        resumed.stillParked().ifPresentOrElse(
                parked -> LOG.warn("event=projection_stream_still_parked projection={} stream={} applied={} by={} "
                                + "position={} version={} type={} error=\"{}\" hint=\"the events before it were applied; "
                                + "fix the cause and resume again, or skip this event with POST /api/projections/{}/parked/{}/skip\"",
                        name, streamId, resumed.applied(), resumedBy, parked.head().position(), parked.head().version(),
                        parked.head().type(), parked.head().error(), name, streamId),
                () -> LOG.info("event=projection_stream_resumed projection={} stream={} applied={} by={}", name, streamId,
                        resumed.applied(), resumedBy));
        return resumed;
    }

    @Override
    public ParkedStreams.Skipped skip(String name, String streamId, long position, String skippedBy, String reason) {
        ParkedStreams.Skipped skipped = known(name).store().skip(streamId, position,
                new ParkedStreams.Skip(skippedBy, reason, Clock.systemUTC().instant()));
        LOG.warn("event=projection_event_skipped projection={} stream={} position={} version={} type={} by={} "
                        + "reason=\"{}\" waiting={} hint=\"the read model lacks this event for good, rebuilds included{}\"",
                name, streamId, position, skipped.skipped().version(), skipped.skipped().type(), skippedBy,
                reason.replace('"', '\''),
                skipped.stillParked().map(ParkedStream::waitingEvents).orElse(0L),
                skipped.stillParked().isPresent()
                        ? "; POST /api/projections/" + name + "/parked/" + streamId + "/resume applies the events behind it"
                        : "");
        return skipped;
    }

    @Override
    public ReconciliationReport reconcile(String name) {
        ReconciliationReport report = known(name).reconciliation().run();
        LOG.info("event=projection_reconciled projection={} checkpoint={} checked={} mismatches={}", name,
                report.checkpoint(), report.checked(), report.mismatches().size());
        return report;
    }
}
