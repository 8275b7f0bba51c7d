package org.pgeventstore.adapters.http;

import io.micronaut.core.annotation.Nullable;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import org.pgeventstore.application.feed.FeedStall;
import org.pgeventstore.application.feed.HorizonHolder;

/** What the global feed withholds from every consumer, and who holds it back: in the projections and the statistics. */
@Schema(name = "FeedStall")
public record FeedView(
        @Schema(description = "Events committed but not yet handed out by the feed, counted up to 100,000")
        long withheldEvents,
        @Schema(description = "How long the oldest of them has waited, in seconds")
        double oldestWithheldSeconds,
        @Schema(description = "The oldest transaction on the server, which holds the feed back; null when nothing is "
                + "withheld or it cannot be seen (grant pg_read_all_stats to the service's role)", nullable = true)
        HolderView heldBy) {

    public static FeedView of(FeedStall stall) {
        return new FeedView(stall.withheldEvents(), stall.oldestWithheld().toMillis() / 1000.0,
                stall.holder().map(HolderView::of).orElse(null));
    }

    @Schema(name = "FeedHorizonHolder")
    public record HolderView(String kind,
                             @Schema(description = "The session's process id; null for a prepared transaction") @Nullable Long pid,
                             @Schema(description = "The prepared transaction's global id; null for a session") @Nullable String gid,
                             @Nullable String database, @Nullable String user, @Nullable String applicationName,
                             @Schema(description = "Where the session connects from; null for a local socket or a "
                                     + "prepared transaction") @Nullable String clientAddress,
                             @Nullable String state, @Nullable Instant since, double ageSeconds,
                             @Schema(description = "The session's latest statement, at most 200 characters") @Nullable String query,
                             String remedy) {
        static HolderView of(HorizonHolder holder) {
            return new HolderView(holder.kind(), holder.pid(), holder.gid(), holder.database(), holder.user(),
                    holder.applicationName(), holder.clientAddress(), holder.state(), holder.since(),
                    holder.age().toMillis() / 1000.0, holder.query(), holder.remedy());
        }
    }
}
