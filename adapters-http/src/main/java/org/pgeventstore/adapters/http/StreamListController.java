package org.pgeventstore.adapters.http;

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
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.Explode;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.pgeventstore.adapters.http.security.Caller;
import org.pgeventstore.application.eventstore.EventStore;
import org.pgeventstore.application.eventstore.InvalidEventData;
import org.pgeventstore.application.eventstore.StreamId;
import org.pgeventstore.application.eventstore.StreamListPage;
import org.pgeventstore.application.eventstore.StreamListQuery;

/** Lists the streams, by category, for browsing the store. */
@Controller("/api/streams")
@ApiProblems
@Tag(name = "streams")
@ExecuteOn(TaskExecutors.BLOCKING)
public class StreamListController {

    private final EventStore store;
    private final ApiLimits limits;

    public StreamListController(EventStore store, ApiLimits limits) {
        this.store = store;
        this.limits = limits;
    }

    record StreamSummaryView(String streamId, String category, long version, long lastPosition, Instant updatedAt) {
    }

    record StreamListResponse(List<StreamSummaryView> streams, String next) {
    }

    @Operation(summary = "List streams", operationId = "listStreams", description = "The streams that have events, "
            + "ordered by category and then stream id, each with its version and the position and time of its last "
            + "event. A key limited to categories sees only those.",
            parameters = @Parameter(in = ParameterIn.QUERY, name = "category", description = "Only streams of these "
                    + "categories: repeat it (at most 100)", explode = Explode.TRUE,
                    array = @ArraySchema(schema = @Schema(type = "string"))))
    @ApiResponse(responseCode = "200", description = "A page",
            content = @Content(schema = @Schema(implementation = ApiDocumentation.StreamListDocument.class)),
            headers = @Header(name = RequestMetadata.CORRELATION_ID, description = RequestMetadata.CORRELATION_ECHOED,
                    schema = @Schema(type = "string")))
    @Get
    @Produces(MediaType.APPLICATION_JSON)
    public HttpResponse<String> list(@QueryValue @Nullable @Parameter(description = "The stream to list after (a "
                                             + "page's next)", schema = @Schema(type = "string", maxLength = 200,
                                             pattern = "^[A-Za-z0-9_.:@-]+$")) String after,
                                     @QueryValue @Nullable @Parameter(schema = @Schema(type = "integer", minimum = "1"))
                                     String limit,
                                     HttpRequest<?> request) {
        Optional<StreamId> from = Optional.ofNullable(after).filter(a -> !a.isEmpty()).map(StreamListController::cursor);
        var query = new StreamListQuery(visibleCategories(Caller.of(request), request.getParameters().getAll("category")),
                from, QueryParameters.pageSize(limit, limits));
        StreamListPage page = store.listStreams(query);
        var response = new StreamListResponse(page.streams().stream()
                .map(s -> new StreamSummaryView(s.streamId(), s.category(), s.version(), s.lastPosition(), s.updatedAt()))
                .toList(), page.next().map(StreamId::value).orElse(null));
        return HttpResponse.ok(ApiJson.write(response)).contentType(MediaType.APPLICATION_JSON_TYPE);
    }

    /** As for the feed: a caller limited to categories gets all of its own, and asking for another is a 403. */
    private static Set<String> visibleCategories(Caller caller, List<String> asked) {
        Set<String> categories = new LinkedHashSet<>();
        for (String category : asked) {
            if (!category.isEmpty()) {
                categories.add(category);
            }
        }
        if (categories.size() > 100) {
            throw ApiProblem.badParameter("category", "at most 100 categories at once");
        }
        try {
            new StreamListQuery(categories, Optional.empty(), 1);
        } catch (InvalidEventData e) {
            throw ApiProblem.badParameter("category", e.getMessage());
        }
        if (caller.categories().isEmpty()) {
            return categories;
        }
        if (categories.isEmpty()) {
            return caller.categories().get();
        }
        categories.forEach(caller::requireCategory);
        return categories;
    }

    private static StreamId cursor(String after) {
        try {
            return StreamId.of(after);
        } catch (InvalidEventData e) {
            throw ApiProblem.badParameter("after", "must be a stream id, a page's next; was " + ApiProblem.quoted(after));
        }
    }
}
