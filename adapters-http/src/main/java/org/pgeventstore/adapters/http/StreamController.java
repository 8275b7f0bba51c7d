package org.pgeventstore.adapters.http;

import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.util.List;
import java.util.Optional;
import org.pgeventstore.adapters.http.security.Caller;
import org.pgeventstore.application.aggregate.VersionCondition;
import org.pgeventstore.application.eventstore.AppendResult;
import org.pgeventstore.application.eventstore.ConcurrencyConflict;
import org.pgeventstore.application.eventstore.EventStore;
import org.pgeventstore.application.eventstore.ExpectedVersion;
import org.pgeventstore.application.eventstore.StreamId;
import org.pgeventstore.application.eventstore.StreamSlice;

/** The generic event store: append to a stream, read a stream. JDBC work runs off the event loop. */
@Controller("/api/streams")
@ApiProblems
@Tag(name = "streams")
@ExecuteOn(TaskExecutors.BLOCKING)
public class StreamController {

    private final EventStore store;
    private final ApiLimits limits;

    public StreamController(EventStore store, ApiLimits limits) {
        this.store = store;
        this.limits = limits;
    }

    record AppendResponse(String streamId, long firstVersion, long lastVersion, long firstPosition, long lastPosition) {
    }

    record StreamResponse(String streamId, long version, List<EventView> events) {
    }

    @Operation(summary = "Append events to a stream", operationId = "appendToStream",
            description = "All or nothing, checked against expectedVersion or, instead, an If-Match header holding the "
                    + "stream's ETag. Re-sending the same eventIds returns the original result with 200 and appends nothing.",
            parameters = {@Parameter(in = ParameterIn.HEADER, name = "If-Match", description = "The stream's ETag (or a "
                    + "list, or *): append only if the stream is at that version; instead of expectedVersion",
                    schema = @Schema(type = "string")),
                    @Parameter(in = ParameterIn.HEADER, name = RequestMetadata.CORRELATION_ID,
                    description = RequestMetadata.CORRELATION_IN, schema = @Schema(type = "string", maxLength = 200)),
                    @Parameter(in = ParameterIn.HEADER, name = RequestMetadata.CAUSATION_ID,
                    description = RequestMetadata.CAUSATION_IN, schema = @Schema(type = "string", maxLength = 200)),
                    @Parameter(in = ParameterIn.HEADER, name = RequestMetadata.USER_ID,
                    description = RequestMetadata.USER_IN, schema = @Schema(type = "string", maxLength = 200))})
    @RequestBody(content = @Content(schema = @Schema(implementation = ApiDocumentation.AppendRequestDocument.class),
            examples = @ExampleObject(name = "open-an-account", value = ApiExamples.APPEND)))
    @ApiResponse(responseCode = "201", description = "Appended", headers = {
            @Header(name = "ETag", description = "The stream's version, quoted", schema = @Schema(implementation = String.class)),
            @Header(name = "Location", description = "The stream", schema = @Schema(implementation = String.class)),
            @Header(name = RequestMetadata.CORRELATION_ID, description = RequestMetadata.CORRELATION_ECHOED, schema = @Schema(type = "string"))},
            content = @Content(schema = @Schema(implementation = ApiDocumentation.AppendResultDocument.class)))
    @ApiResponse(responseCode = "200", description = "A re-send of a committed append; nothing appended", headers = {
            @Header(name = "ETag", description = "The stream's version, quoted", schema = @Schema(implementation = String.class)),
            @Header(name = "Location", description = "The stream", schema = @Schema(implementation = String.class)),
            @Header(name = RequestMetadata.CORRELATION_ID, description = RequestMetadata.CORRELATION_ECHOED, schema = @Schema(type = "string"))},
            content = @Content(schema = @Schema(implementation = ApiDocumentation.AppendResultDocument.class)))
    @ApiResponse(responseCode = "409", description = "Concurrency conflict or duplicate event id", content = @Content(mediaType = ProblemResponses.PROBLEM_JSON,
                    schema = @Schema(implementation = ApiDocumentation.ProblemDocument.class)),
        headers = @Header(name = RequestMetadata.CORRELATION_ID, description = RequestMetadata.CORRELATION_ECHOED, schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "412", description = "If-Match does not match the stream's version", content = @Content(mediaType = ProblemResponses.PROBLEM_JSON,
                    schema = @Schema(implementation = ApiDocumentation.ProblemDocument.class)),
        headers = @Header(name = RequestMetadata.CORRELATION_ID, description = RequestMetadata.CORRELATION_ECHOED, schema = @Schema(type = "string")))
    @ApiBodyProblems
    @Post("/{streamId}/events")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public HttpResponse<String> append(@PathVariable @Parameter(schema = @Schema(type = "string", maxLength = 200,
                                               pattern = "^[A-Za-z0-9_.:@-]+$")) String streamId,
                                       @Body @Nullable byte[] body, HttpRequest<?> request) {
        StreamId stream = QueryParameters.streamId(streamId);
        Caller.of(request).requireCategory(stream.category());
        OwnedCategories.refuseGenericAppend(stream);
        AppendRequest append = AppendRequest.parse(body, limits, RequestMetadata.of(request));
        Optional<VersionCondition> condition = IfMatch.of(request);
        AppendResult result;
        try {
            result = store.append(stream, condition.isPresent() ? expected(stream, condition.get(), append)
                    : append.expectedVersion(), append.events());
        } catch (ConcurrencyConflict conflict) {
            if (condition.isPresent()) {
                throw stale(stream, condition.get(), conflict.actualVersion());
            }
            throw conflict;
        }
        var response = new AppendResponse(result.streamId(), result.firstVersion(), result.lastVersion(),
                result.firstPosition(), result.lastPosition());
        return HttpResponse.<String>status(result.replayed() ? HttpStatus.OK : HttpStatus.CREATED)
                .header("Location", "/api/streams/" + stream.value())
                .header("ETag", "\"" + result.lastVersion() + "\"")
                .contentType(MediaType.APPLICATION_JSON_TYPE)
                .body(ApiJson.write(response));
    }

    /**
     * The expected version that carries out an {@code If-Match}. A list of versions is checked against
     * the stream's current version, and the append then expects exactly that one, so a writer that
     * gets there first still makes this append fail.
     */
    private ExpectedVersion expected(StreamId stream, VersionCondition condition, AppendRequest append) {
        if (append.versionGiven()) {
            throw ApiProblem.badParameter(IfMatch.HEADER, "an append gives its condition either as If-Match or as "
                    + "expectedVersion, not both");
        }
        if (condition instanceof VersionCondition.OneOf one && one.versions().size() == 1) {
            long version = one.versions().first();
            return version == 0 ? expected(stream, condition) : ExpectedVersion.exactly(version);
        }
        return condition == VersionCondition.EXISTS ? ExpectedVersion.EXISTS : expected(stream, condition);
    }

    private ExpectedVersion expected(StreamId stream, VersionCondition condition) {
        long current = store.currentVersion(stream);
        if (!condition.heldBy(current)) {
            throw stale(stream, condition, current);
        }
        return ExpectedVersion.exactly(current);
    }

    private static ApiProblem stale(StreamId stream, VersionCondition condition, long actualVersion) {
        return IfMatch.stale("stream " + stream, "stream", condition, actualVersion);
    }

    @Operation(summary = "Read a stream", operationId = "readStream", description = "Events from fromVersion on, oldest first.")
    @ApiResponse(responseCode = "200", description = "The slice", headers = {@Header(name = "ETag",
            description = "The stream's version, quoted", schema = @Schema(implementation = String.class)),
            @Header(name = RequestMetadata.CORRELATION_ID, description = RequestMetadata.CORRELATION_ECHOED, schema = @Schema(type = "string"))},
            content = @Content(schema = @Schema(implementation = ApiDocumentation.StreamDocument.class)))
    @ApiResponse(responseCode = "404", description = "The stream has no events", content = @Content(mediaType = ProblemResponses.PROBLEM_JSON,
                    schema = @Schema(implementation = ApiDocumentation.ProblemDocument.class)),
        headers = @Header(name = RequestMetadata.CORRELATION_ID, description = RequestMetadata.CORRELATION_ECHOED, schema = @Schema(type = "string")))
    @Get("/{streamId}")
    @Produces(MediaType.APPLICATION_JSON)
    public HttpResponse<String> read(@PathVariable String streamId,
                                     @QueryValue @Nullable @Parameter(schema = @Schema(type = "integer", format = "int64",
                                             minimum = "0")) String fromVersion,
                                     @QueryValue @Nullable @Parameter(schema = @Schema(type = "integer", minimum = "1"))
                                     String limit,
                                     @QueryValue @Nullable @Parameter(description = QueryParameters.MIN_POSITION,
                                             schema = @Schema(type = "integer", format = "int64", minimum = "0"))
                                     String minPosition,
                                     HttpRequest<?> request) {
        StreamId stream = QueryParameters.streamId(streamId);
        Caller.of(request).requireCategory(stream.category());
        long from = QueryParameters.longAtLeast("fromVersion", fromVersion, 1, 0);
        StreamSlice slice = store.reflecting(QueryParameters.minPosition(minPosition)).read(stream, Math.max(from, 1), QueryParameters.pageSize(limit, limits));
        if (slice.version() == 0) {
            throw ApiProblem.of(HttpStatus.NOT_FOUND, "stream-not-found", "The stream does not exist",
                    "stream " + stream + " has no events");
        }
        var response = new StreamResponse(slice.streamId(), slice.version(),
                slice.events().stream().map(EventView::of).toList());
        return HttpResponse.ok(ApiJson.write(response))
                .header("ETag", "\"" + slice.version() + "\"")
                .contentType(MediaType.APPLICATION_JSON_TYPE);
    }
}
