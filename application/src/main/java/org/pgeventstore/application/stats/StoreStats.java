package org.pgeventstore.application.stats;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the event store holds, at one moment.
 *
 * @param eventsByType events per stored type, by type name
 * @param categories per category, by name
 * @param largestStreams the streams with the highest versions, highest first (at most
 *     {@link StoreStatistics#LARGEST_STREAMS}; ties by stream id)
 */
public record StoreStats(Map<String, Long> eventsByType, List<Category> categories, List<StreamSize> largestStreams) {

    public StoreStats {
        eventsByType = new TreeMap<>(eventsByType);
        categories = categories.stream().sorted(Comparator.comparing(Category::category)).toList();
        largestStreams = largestStreams.stream()
                .sorted(Comparator.comparingLong(StreamSize::version).reversed().thenComparing(StreamSize::streamId))
                .toList();
    }

    /** Every event. */
    public long events() {
        return categories.stream().mapToLong(Category::events).sum();
    }

    /** Every stream with at least one event. */
    public long streams() {
        return categories.stream().mapToLong(Category::streams).sum();
    }

    /** Streams that have a snapshot of any schema version. */
    public long streamsWithSnapshot() {
        return categories.stream().mapToLong(Category::streamsWithSnapshot).sum();
    }

    /** Snapshots kept. */
    public long snapshots() {
        return categories.stream().mapToLong(Category::snapshots).sum();
    }

    /** The share of streams that have a snapshot, 0 to 1 (0 without streams). */
    public double snapshotCoverage() {
        return ratio(streamsWithSnapshot(), streams());
    }

    static double ratio(long part, long whole) {
        return whole == 0 ? 0 : (double) part / whole;
    }

    /**
     * One category's streams, events and snapshots.
     *
     * @param latestSnapshot the snapshot of the category taken last, if any
     */
    public record Category(String category, long streams, long events, long streamsWithSnapshot, long snapshots,
                           Optional<SnapshotTaken> latestSnapshot) {

        public Category {
            Objects.requireNonNull(category, "category");
            Objects.requireNonNull(latestSnapshot, "latestSnapshot");
        }

        /** The share of the category's streams that have a snapshot, 0 to 1. */
        public double snapshotCoverage() {
            return ratio(streamsWithSnapshot, streams);
        }
    }

    /** A stream and its version, i.e. its number of events. */
    public record StreamSize(String streamId, long version) {
    }

    /** Which snapshot was taken when. */
    public record SnapshotTaken(String streamId, long version, Instant takenAt) {
    }
}
