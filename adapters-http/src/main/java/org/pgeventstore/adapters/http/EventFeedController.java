package org.pgeventstore.adapters.http;

import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.Explode;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.util.List;
import org.pgeventstore.application.eventstore.EventStore;
import org.pgeventstore.application.eventstore.FeedPage;

/**
 * The global feed: every committed event once, in increasing position order. A consumer
 * keeps {@code next} as its checkpoint and passes it back as {@code after}.
 */
@Controller("/api/events")
@ApiProblems
@Tag(name = "streams")
@ExecuteOn(TaskExecutors.BLOCKING)
public class EventFeedController {

    private final EventStore store;
    private final ApiLimits limits;

    public EventFeedController(EventStore store, ApiLimits limits) {
        this.store = store;
        this.limits = limits;
    }

    record FeedResponse(List<EventView> events, long next) {
    }

    @Operation(summary = "Read the global feed", operationId = "readFeed", description = "Every committed event once, in increasing position "
            + "order, optionally filtered by category and type (repeat type or separate types with commas).",
            parameters = @Parameter(in = ParameterIn.QUERY, name = "type", description = "Only events of these types: "
                    + "repeat it, or separate types with commas (at most 100)", explode = Explode.TRUE,
                    array = @ArraySchema(schema = @Schema(type = "string"))))
    @ApiResponse(responseCode = "200", description = "A page",
            content = @Content(schema = @Schema(implementation = ApiDocumentation.FeedDocument.class)),
        headers = @Header(name = RequestMetadata.CORRELATION_ID, description = RequestMetadata.CORRELATION_ECHOED, schema = @Schema(type = "string")))
    @Get
    @Produces(MediaType.APPLICATION_JSON)
    public HttpResponse<String> feed(@QueryValue @Nullable @Parameter(description = "The position to read after "
                                             + "(a page's next)", schema = @Schema(type = "integer", format = "int64",
                                             minimum = "0")) String after,
                                     @QueryValue @Nullable @Parameter(schema = @Schema(type = "integer", minimum = "1"))
                                     String limit,
                                     @QueryValue @Nullable @Parameter(description = "Only events of this category")
                                     String category,
                                     @QueryValue @Nullable @Parameter(description = QueryParameters.MIN_POSITION,
                                             schema = @Schema(type = "integer", format = "int64", minimum = "0"))
                                     String minPosition,
                                     HttpRequest<?> request) {
        long from = QueryParameters.longAtLeast("after", after, 0, 0);
        int size = QueryParameters.pageSize(limit, limits);
        FeedPage page = store.reflecting(QueryParameters.minPosition(minPosition)).readAll(from, size, FeedFilters.of(category, request));
        return HttpResponse.ok(ApiJson.write(new FeedResponse(page.events().stream().map(EventView::of).toList(), page.next())))
                .contentType(MediaType.APPLICATION_JSON_TYPE);
    }
}
