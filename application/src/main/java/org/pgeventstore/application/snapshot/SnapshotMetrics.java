package org.pgeventstore.application.snapshot;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The meters of aggregate loads and snapshots, as Prometheus shows them:
 * <ul>
 *   <li>{@code eventstore_aggregate_load_seconds{category, snapshot}}: load time, a histogram;
 *       {@code snapshot} is {@code hit}, {@code miss} or {@code off} (snapshots not read)</li>
 *   <li>{@code eventstore_aggregate_load_replayed_events{category, snapshot}}: events folded per load</li>
 *   <li>{@code eventstore_snapshot_lookups_total{category, outcome}}: {@code hit} or {@code miss};
 *       the hit rate is hits over all lookups</li>
 *   <li>{@code eventstore_snapshot_written_total{category}}: snapshots stored</li>
 *   <li>{@code eventstore_snapshot_failures_total{category, operation}}: {@code read}, {@code decode},
 *       {@code verify}, {@code write} or {@code prune} failed; {@code dropped} when the writer's
 *       queue was full</li>
 *   <li>{@code eventstore_snapshot_queue}: snapshots waiting to be written</li>
 * </ul>
 */
public final class SnapshotMetrics {

    /** What a load found. */
    public enum Lookup {
        HIT, MISS, OFF;

        String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final MeterRegistry registry;
    private final Map<String, Object> meters = new ConcurrentHashMap<>();

    public SnapshotMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /** Meters that record nothing anywhere, for callers that do not watch. */
    public static SnapshotMetrics discarding() {
        return new SnapshotMetrics(new CompositeMeterRegistry());
    }

    /** One load of a stream of {@code category}: how long it took, how many events it folded, what it found. */
    public void loaded(String category, Lookup lookup, Duration elapsed, long eventsReplayed) {
        meter("load|" + category + "|" + lookup, () -> Timer.builder("eventstore.aggregate.load")
                .description("Time to rebuild an aggregate from its snapshot and events")
                .tags("category", category, "snapshot", lookup.tag())
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(100_000))
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry), Timer.class).record(elapsed);
        meter("replayed|" + category + "|" + lookup, () -> DistributionSummary.builder("eventstore.aggregate.load.replayed")
                .description("Events folded per aggregate load")
                .baseUnit("events")
                .tags("category", category, "snapshot", lookup.tag())
                .publishPercentileHistogram()
                .minimumExpectedValue(1.0)
                .maximumExpectedValue(1_000_000.0)
                .register(registry), DistributionSummary.class).record(eventsReplayed);
        if (lookup != Lookup.OFF) {
            counter("eventstore.snapshot.lookups", "Snapshot lookups of aggregate loads",
                    "category", category, "outcome", lookup.tag()).increment();
        }
    }

    public void written(String category) {
        counter("eventstore.snapshot.written", "Snapshots stored", "category", category).increment();
    }

    /** {@code operation}: read, decode, verify, write, prune or dropped. */
    public void failed(String category, String operation) {
        counter("eventstore.snapshot.failures", "Snapshots that could not be read, used, written or queued",
                "category", category, "operation", operation).increment();
    }

    /** Reports the writer's queue length as a gauge. */
    public void watchQueue(Supplier<Number> length) {
        Gauge.builder("eventstore.snapshot.queue", length)
                .description("Snapshots waiting to be written")
                .strongReference(true)
                .register(registry);
    }

    private Counter counter(String name, String description, String... tags) {
        return meter(name + "|" + String.join("|", tags),
                () -> Counter.builder(name).description(description).tags(tags).register(registry), Counter.class);
    }

    private <T> T meter(String key, Supplier<T> create, Class<T> type) {
        return type.cast(meters.computeIfAbsent(key, k -> create.get()));
    }
}
