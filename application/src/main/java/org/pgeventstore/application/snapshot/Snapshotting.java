package org.pgeventstore.application.snapshot;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether and how an aggregate's loads use snapshots: {@link #on} reads them from the writer's
 * store and offers new states to the writer; {@link #off} replays every load from the first
 * event. Loads are measured in both cases.
 */
public final class Snapshotting {

    private final SnapshotWriter writer;
    private final SnapshotMetrics metrics;
    private final RecentStates recent;

    private Snapshotting(SnapshotWriter writer, SnapshotMetrics metrics, RecentStates recent) {
        this.writer = writer;
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.recent = Objects.requireNonNull(recent, "recent");
    }

    /** Loads start at the latest usable snapshot of the writer's store and offer new states to the writer. */
    public static Snapshotting on(SnapshotWriter writer) {
        return on(writer, RecentStates.none());
    }

    /**
     * As {@link #on(SnapshotWriter)}, and loads of the current state start from a state this
     * instance rebuilt recently, when {@code recent} holds one, before asking the store.
     */
    public static Snapshotting on(SnapshotWriter writer, RecentStates recent) {
        return new Snapshotting(Objects.requireNonNull(writer, "writer"), writer.metrics(), recent);
    }

    /** Loads replay every event and are recorded in {@code metrics}. */
    public static Snapshotting off(SnapshotMetrics metrics) {
        return new Snapshotting(null, metrics, RecentStates.none());
    }

    /** Loads replay every event and are not measured. */
    public static Snapshotting off() {
        return off(SnapshotMetrics.discarding());
    }

    /** The store to read snapshots from; empty when snapshots are off. */
    public Optional<SnapshotStore> store() {
        return Optional.ofNullable(writer).map(SnapshotWriter::store);
    }

    /** The states this instance rebuilt recently; keeps none when snapshots are off. */
    public RecentStates recent() {
        return recent;
    }

    public SnapshotMetrics metrics() {
        return metrics;
    }

    /**
     * Hands a state to the writer, whose policy decides; nothing when snapshots are off. Never
     * blocks or throws.
     *
     * @return whether a snapshot of it was queued
     */
    public boolean offer(SnapshotOffer offer) {
        return writer != null && writer.offer(offer);
    }

    /** Now, by the writer's clock; a load measures its stream's recent event rate against it. */
    public Instant now() {
        return writer == null ? Instant.now() : writer.clock().instant();
    }
}
