package org.pgeventstore.adapters.http.admin;

import io.swagger.v3.oas.annotations.headers.Header;
import org.pgeventstore.adapters.http.RequestMetadata;
import org.pgeventstore.application.feed.FeedHorizon;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import java.util.Optional;
import org.pgeventstore.application.replica.ReplicaRouting;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.pgeventstore.adapters.http.ApiJson;
import org.pgeventstore.adapters.http.ApiProblems;
import org.pgeventstore.application.relay.RelayMonitor;
import org.pgeventstore.application.stats.StoreStatistics;

/** Figures for operators: what the event store holds and how far snapshots cover it. */
@Controller("/api/admin")
@ApiProblems
@Tag(name = "operations")
@ExecuteOn(TaskExecutors.BLOCKING)
public class AdminController {

    private final StoreStatistics statistics;
    private final FeedHorizon feed;
    private final ReplicaRouting replica;
    private final RelayMonitor relay;

    /**
     * @param replica the routing of reads to a streaming replica; null when none is configured
     * @param relay the fan-out to NATS JetStream as this instance sees it
     */
    public AdminController(StoreStatistics statistics, FeedHorizon feed, @Nullable ReplicaRouting replica, RelayMonitor relay) {
        this.statistics = statistics;
        this.feed = feed;
        this.replica = replica;
        this.relay = relay;
    }

    @Operation(summary = "Event and stream counts, by type and category, the largest streams, snapshot coverage",
            operationId = "storeStatistics",
            description = "All figures are taken at one moment. Counting events by type reads the whole log, "
                    + "so on a very large store this takes a while; the other figures cost time per stream. "
                    + "relay is the fan-out to NATS JetStream as this instance sees it, null when none is configured.")
    @ApiResponse(responseCode = "200", description = "The figures", content = @Content(schema = @Schema(implementation = StatsView.class)),
        headers = @Header(name = RequestMetadata.CORRELATION_ID, description = RequestMetadata.CORRELATION_ECHOED, schema = @Schema(type = "string")))
    @Get("/stats")
    @Produces(MediaType.APPLICATION_JSON)
    public HttpResponse<String> stats() {
        return HttpResponse.ok(ApiJson.write(StatsView.of(statistics.collect(), feed.current(),
                Optional.ofNullable(replica).map(ReplicaRouting::condition), relay.status())))
                .contentType(MediaType.APPLICATION_JSON_TYPE);
    }
}
