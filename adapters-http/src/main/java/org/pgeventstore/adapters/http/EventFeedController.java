package org.pgeventstore.adapters.http;

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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.pgeventstore.adapters.http.security.Caller;
import org.pgeventstore.application.eventstore.EventFilter;
import org.pgeventstore.application.eventstore.EventStore;
import org.pgeventstore.application.eventstore.EventType;
import org.pgeventstore.application.eventstore.FeedPage;
import org.pgeventstore.application.eventstore.InvalidEventData;

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
            content = @Content(schema = @Schema(implementation = ApiDocumentation.FeedDocument.class)))
    @Get
    @Produces(MediaType.APPLICATION_JSON)
    public HttpResponse<String> feed(@QueryValue @Nullable @Parameter(description = "The position to read after "
                                             + "(a page's next)", schema = @Schema(type = "integer", format = "int64",
                                             minimum = "0")) String after,
                                     @QueryValue @Nullable @Parameter(schema = @Schema(type = "integer", minimum = "1"))
                                     String limit,
                                     @QueryValue @Nullable @Parameter(description = "Only events of this category")
                                     String category,
                                     HttpRequest<?> request) {
        long from = QueryParameters.longAtLeast("after", after, 0, 0);
        int size = QueryParameters.pageSize(limit, limits);
        EventFilter asked = filter(category, request.getParameters().getAll("type"));
        FeedPage page = store.readAll(from, size, visibleTo(Caller.of(request), asked));
        return HttpResponse.ok(ApiJson.write(new FeedResponse(page.events().stream().map(EventView::of).toList(), page.next())))
                .contentType(MediaType.APPLICATION_JSON_TYPE);
    }

    /**
     * A caller limited to some categories sees only theirs: asking for another is a 403, asking for
     * none gives all of its own.
     */
    private static EventFilter visibleTo(Caller caller, EventFilter asked) {
        if (caller.categories().isEmpty()) {
            return asked;
        }
        if (asked.categories().isEmpty()) {
            return new EventFilter(caller.categories().get(), asked.types());
        }
        asked.categories().forEach(caller::requireCategory);
        return asked;
    }

    /** {@code type} may repeat ({@code type=A&type=B}) or list types separated by commas. */
    private static EventFilter filter(String category, List<String> typeParameters) {
        Set<String> types = new LinkedHashSet<>();
        for (String parameter : typeParameters) {
            for (String type : parameter.split(",")) {
                if (!EventType.isValid(type)) {
                    throw ApiProblem.badParameter("type", "must be 1..200 characters of A-Z a-z 0-9 _ . : -; was "
                            + ApiProblem.quoted(type));
                }
                types.add(type);
            }
        }
        if (types.size() > 100) {
            throw ApiProblem.badParameter("type", "at most 100 types at once");
        }
        try {
            return new EventFilter(Optional.ofNullable(category).filter(c -> !c.isEmpty()), types);
        } catch (InvalidEventData e) {
            throw ApiProblem.badParameter(e.field(), e.getMessage());
        }
    }
}
