package org.pgeventstore.adapters.http.order;

import org.pgeventstore.adapters.http.RequestMetadata;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.pgeventstore.adapters.http.ApiDocumentation;
import org.pgeventstore.adapters.http.ApiProblems;
import org.pgeventstore.adapters.http.ProblemResponses;
import org.pgeventstore.adapters.http.QueryParameters;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.pgeventstore.adapters.http.ApiJson;
import org.pgeventstore.adapters.http.ApiProblem;
import org.pgeventstore.adapters.http.EventView;
import org.pgeventstore.application.order.OrderHistory;
import org.pgeventstore.application.order.OrderQueries;
import org.pgeventstore.application.order.OrderState;
import org.pgeventstore.domain.order.OrderId;

/** The Order aggregate's reads: its state now, at a version or as of an instant, and its history. */
@Controller("/api/orders")
@ApiProblems
@Tag(name = "orders")
@ExecuteOn(TaskExecutors.BLOCKING)
public class OrderQueryController {

    private final OrderQueries queries;

    public OrderQueryController(OrderQueries queries) {
        this.queries = queries;
    }

    /** The current state, or the state at {@code version}, or as of the instant {@code asOf}. */
    @Operation(summary = "The order now, at a version, or as of an instant", operationId = "getOrder",
            description = "Give version or asOf, not both; without either, the order now.")
    @ApiResponse(responseCode = "200", description = "The order", headers = {@Header(name = "ETag", description = "The order's version, quoted", schema = @Schema(type = "string")),
            @Header(name = RequestMetadata.CORRELATION_ID, description = RequestMetadata.CORRELATION_ECHOED, schema = @Schema(type = "string"))}, content = @Content(schema = @Schema(implementation = OrderView.class)))
    @ApiResponse(responseCode = "404", description = "Unknown order, or no such version or instant", content = @Content(mediaType = ProblemResponses.PROBLEM_JSON,
                    schema = @Schema(implementation = ApiDocumentation.ProblemDocument.class)),
        headers = @Header(name = RequestMetadata.CORRELATION_ID, description = RequestMetadata.CORRELATION_ECHOED, schema = @Schema(type = "string")))
    @Get("/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public HttpResponse<String> view(@PathVariable String id,
                                     @QueryValue @Nullable @Parameter(description = "The order as it was at this version",
                                             schema = @Schema(type = "integer", format = "int64", minimum = "1"))
                                     String version,
                                     @QueryValue @Nullable @Parameter(description = "The order as it was at this instant",
                                             schema = @Schema(type = "string", format = "date-time")) String asOf,
                                     @QueryValue @Nullable @Parameter(description = QueryParameters.MIN_POSITION,
                                             schema = @Schema(type = "integer", format = "int64", minimum = "0"))
                                     String minPosition) {
        OrderId orderId = OrderResponses.orderId(id);
        if (version != null && asOf != null) {
            throw ApiProblem.badParameter("version", "give either version or asOf, not both");
        }
        OrderQueries queries = this.queries.reflecting(QueryParameters.minPosition(minPosition));
        OrderState state;
        if (version != null) {
            state = queries.atVersion(orderId, positiveVersion(version));
        } else if (asOf != null) {
            state = queries.asOf(orderId, instant(asOf));
        } else {
            state = queries.current(orderId);
        }
        return OrderResponses.ok(OrderView.of(state.order(), state.position()), state.order().version());
    }

    /** The order's history, oldest first, in the shape of a stream read. */
    @Operation(summary = "The order's history, oldest first", operationId = "getOrderHistory",
            description = "Its events in their current shape (upcast), as a stream read shows them.")
    @ApiResponse(responseCode = "200", description = "The events", headers = {@Header(name = "ETag", description = "The order's version, quoted", schema = @Schema(type = "string")),
            @Header(name = RequestMetadata.CORRELATION_ID, description = RequestMetadata.CORRELATION_ECHOED, schema = @Schema(type = "string"))}, content = @Content(schema = @Schema(implementation = ApiDocumentation.StreamDocument.class)))
    @ApiResponse(responseCode = "404", description = "Unknown order", content = @Content(mediaType = ProblemResponses.PROBLEM_JSON,
                    schema = @Schema(implementation = ApiDocumentation.ProblemDocument.class)),
        headers = @Header(name = RequestMetadata.CORRELATION_ID, description = RequestMetadata.CORRELATION_ECHOED, schema = @Schema(type = "string")))
    @Get("/{id}/events")
    @Produces(MediaType.APPLICATION_JSON)
    public HttpResponse<String> history(@PathVariable String id,
                                        @QueryValue @Nullable @Parameter(description = QueryParameters.MIN_POSITION,
                                                schema = @Schema(type = "integer", format = "int64", minimum = "0"))
                                        String minPosition) {
        OrderHistory history = queries.reflecting(QueryParameters.minPosition(minPosition)).history(OrderResponses.orderId(id));
        record HistoryResponse(String streamId, long version, List<EventView> events) {
        }
        return HttpResponse.ok(ApiJson.write(new HistoryResponse(history.streamId(), history.version(),
                        history.events().stream().map(EventView::of).toList())))
                .header("ETag", "\"" + history.version() + "\"")
                .contentType(MediaType.APPLICATION_JSON_TYPE);
    }

    private static long positiveVersion(String version) {
        try {
            long parsed = Long.parseLong(version);
            if (parsed >= 1) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiProblem.badParameter("version", "must be a whole number of 1 or more; was " + ApiProblem.quoted(version));
    }

    private static Instant instant(String asOf) {
        try {
            return Instant.parse(asOf);
        } catch (DateTimeParseException e) {
            throw ApiProblem.badParameter("asOf", "must be an ISO-8601 instant such as 2026-01-01T00:00:00Z; was "
                    + ApiProblem.quoted(asOf));
        }
    }
}
