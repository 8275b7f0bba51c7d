package org.pgeventstore.adapters.http.admin;

import org.pgeventstore.adapters.http.FeedView;
import org.pgeventstore.application.feed.FeedStall;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.pgeventstore.application.replica.ReplicaCondition;
import org.pgeventstore.application.relay.RelayStatus;
import org.pgeventstore.application.stats.StoreStats;

/** The body of {@code GET /api/admin/stats}. */
@Schema(name = "StoreStats")
public record StatsView(
        long events,
        long streams,
        @Schema(description = "Events per stored type") Map<String, Long> eventsByType,
        List<CategoryView> categories,
        @Schema(description = "The streams with the most events, most first") List<StreamView> largestStreams,
        SnapshotsView snapshots,
        @Schema(description = "What the global feed withholds, and who holds it back") FeedView feed,
        @Schema(description = "The streaming replica that serves reads; null when none is configured", nullable = true)
        ReplicaView replica,
        @Schema(description = "The relay of the feed to NATS JetStream; null when EVENTSTORE_NATS_URL is not set",
                nullable = true) RelayView relay) {

    static StatsView of(StoreStats stats, FeedStall feed, Optional<ReplicaCondition> replica, Optional<RelayStatus> relay) {
        return new StatsView(stats.events(), stats.streams(), stats.eventsByType(),
                stats.categories().stream().map(CategoryView::of).toList(),
                stats.largestStreams().stream().map(s -> new StreamView(s.streamId(), s.version())).toList(),
                new SnapshotsView(stats.snapshots(), stats.streamsWithSnapshot(), stats.snapshotCoverage()),
                FeedView.of(feed), replica.map(ReplicaView::of).orElse(null), relay.map(RelayView::of).orElse(null));
    }

    public record RelayView(
            String name,
            @Schema(description = "The NATS servers and the stream") String target,
            @Schema(description = "Whether this instance holds the relay's lease and relays now") boolean active,
            @Schema(description = "False from a batch JetStream did not acknowledge until one it did") boolean brokerReachable,
            @Schema(description = "Every event up to this feed position is acknowledged by JetStream") long position,
            @Schema(description = "Events of the feed after the position (capped; -1 when the database did not answer)")
            long lagEvents,
            long publishedEvents,
            long duplicateEvents,
            long failedBatches,
            @Schema(description = "Why the last batch failed, while JetStream does not acknowledge; null otherwise",
                    nullable = true) String lastError) {

        static RelayView of(RelayStatus status) {
            return new RelayView(status.name(), status.target(), status.active(), status.brokerReachable(),
                    status.position(), status.lagEvents(), status.publishedEvents(), status.duplicateEvents(),
                    status.failedBatches(), status.lastError().orElse(null));
        }
    }

    @Schema(name = "CategoryStats")
    public record CategoryView(
            String category,
            long streams,
            long events,
            long streamsWithSnapshot,
            long snapshots,
            @Schema(description = "Streams with a snapshot over streams, 0 to 1") double snapshotCoverage,
            @Schema(description = "The snapshot of the category taken last; null when none", nullable = true)
            SnapshotView latestSnapshot) {

        static CategoryView of(StoreStats.Category category) {
            return new CategoryView(category.category(), category.streams(), category.events(),
                    category.streamsWithSnapshot(), category.snapshots(), category.snapshotCoverage(),
                    category.latestSnapshot().map(s -> new SnapshotView(s.streamId(), s.version(), s.takenAt())).orElse(null));
        }
    }

    @Schema(name = "StreamStats")
    public record StreamView(String streamId, long version) {
    }

    @Schema(name = "SnapshotStats")
    public record SnapshotView(String streamId, long version, Instant takenAt) {
    }

    @Schema(name = "SnapshotsStats")
    public record SnapshotsView(
            long snapshots,
            long streamsWithSnapshot,
            @Schema(description = "Streams with a snapshot over all streams, 0 to 1") double coverage) {
    }
}
