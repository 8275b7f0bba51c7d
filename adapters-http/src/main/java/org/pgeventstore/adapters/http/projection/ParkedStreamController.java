package org.pgeventstore.adapters.http.projection;

import io.swagger.v3.oas.annotations.headers.Header;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.pgeventstore.adapters.http.ApiDocumentation;
import org.pgeventstore.adapters.http.ApiJson;
import org.pgeventstore.adapters.http.ApiLimits;
import org.pgeventstore.adapters.http.ApiBodyProblems;
import org.pgeventstore.adapters.http.ApiProblem;
import org.pgeventstore.adapters.http.ApiProblems;
import org.pgeventstore.adapters.http.ProblemResponses;
import org.pgeventstore.adapters.http.QueryParameters;
import org.pgeventstore.adapters.http.RequestMetadata;
import org.pgeventstore.application.projection.ParkedEvent;
import org.pgeventstore.application.projection.ParkedStream;
import org.pgeventstore.application.projection.ParkedStreams;
import org.pgeventstore.application.projection.ProjectionOperations;

/**
 * The streams a projection has parked behind an event it could not apply: list them, resume one
 * after a fix (its waiting events are applied in order), or skip its head event for good.
 */
@Controller("/api/projections/{name}/parked")
@ApiProblems
@Tag(name = "projections")
@ExecuteOn(TaskExecutors.BLOCKING)
@Requires(beans = ProjectionOperations.class)
public class ParkedStreamController {

    /** The longest reason kept with a skip. */
    static final int MAX_REASON_LENGTH = 1000;

    private final ProjectionOperations operations;
    private final ApiLimits limits;

    public ParkedStreamController(ProjectionOperations operations, ApiLimits limits) {
        this.operations = operations;
        this.limits = limits;
    }

    @Schema(name = "ParkedEvent")
    record EventView(long position, String streamId, long version, String type, String eventId,
                     @Schema(description = "The error that parked the stream; null for an event that waited behind "
                             + "another and has not failed itself") @Nullable String error,
                     Instant parkedAt) {
        static EventView of(ParkedEvent event) {
            return new EventView(event.position(), event.streamId(), event.version(), event.type(),
                    event.eventId().toString(), event.error(), event.parkedAt());
        }
    }

    /** @param waitingEvents the head and the events behind it */
    @Schema(name = "ParkedStream")
    record StreamView(String streamId, long waitingEvents, EventView head) {
        static StreamView of(ParkedStream stream) {
            return new StreamView(stream.streamId(), stream.waitingEvents(), EventView.of(stream.head()));
        }

        static StreamView of(Optional<ParkedStream> stream) {
            return stream.map(StreamView::of).orElse(null);
        }
    }

    @Schema(name = "ParkedStreams")
    record ListView(String projection, List<StreamView> items) {
    }

    /** @param stillParked the stream's new head when an event failed again, else null */
    @Schema(name = "ParkedStreamResumed")
    record ResumedView(String projection, String streamId, int applied, boolean parked,
                       @Nullable StreamView stillParked) {
    }

    /** @param stillParked the stream when events still wait behind the skipped one, else null */
    @Schema(name = "ParkedEventSkipped")
    record SkippedView(String projection, String streamId, EventView skipped, String skippedBy, Instant skippedAt,
                       String reason, boolean parked, @Nullable StreamView stillParked) {
    }

    /** @param position the head event to skip, as listed: another head is refused with 409 */
    record SkipRequest(Long position, String reason) {
    }

    @Operation(summary = "Streams the projection holds back, the longest parked first, each with the event it is parked at and its error", operationId = "listParkedStreams",
            description = "A parked stream waits behind its head event, which failed; the other streams go on.")
    @ApiResponse(responseCode = "404", description = "No such projection", content = @Content(mediaType = ProblemResponses.PROBLEM_JSON,
            schema = @Schema(implementation = ApiDocumentation.ProblemDocument.class)),
        headers = @Header(name = RequestMetadata.CORRELATION_ID, description = RequestMetadata.CORRELATION_ECHOED, schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "200", description = "The parked streams", content = @Content(schema = @Schema(implementation = ListView.class)),
        headers = @Header(name = RequestMetadata.CORRELATION_ID, description = RequestMetadata.CORRELATION_ECHOED, schema = @Schema(type = "string")))
    @Get
    @Produces(MediaType.APPLICATION_JSON)
    public HttpResponse<String> list(@PathVariable String name, @QueryValue @Nullable @Parameter(schema = @Schema(
            type = "integer", minimum = "1")) String limit) {
        int size = QueryParameters.pageSize(limit, limits);
        List<StreamView> items = mapped(name, null, () -> operations.parked(name, size)).stream().map(StreamView::of)
                .toList();
        return json(new ListView(name, items));
    }

    @Operation(summary = "One parked stream", operationId = "getParkedStream",
            description = "Its head event, its error and how many events wait behind it.")
    @ApiResponse(responseCode = "200", description = "The parked stream", content = @Content(schema = @Schema(implementation = StreamView.class)),
        headers = @Header(name = RequestMetadata.CORRELATION_ID, description = RequestMetadata.CORRELATION_ECHOED, schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "404", description = "No such projection, or the stream is not parked",
            content = @Content(mediaType = ProblemResponses.PROBLEM_JSON,
                    schema = @Schema(implementation = ApiDocumentation.ProblemDocument.class)),
        headers = @Header(name = RequestMetadata.CORRELATION_ID, description = RequestMetadata.CORRELATION_ECHOED, schema = @Schema(type = "string")))
    @Get("/{streamId}")
    @Produces(MediaType.APPLICATION_JSON)
    public HttpResponse<String> one(@PathVariable String name, @PathVariable String streamId) {
        String stream = QueryParameters.streamId(streamId).value();
        ParkedStream parked = mapped(name, stream, () -> operations.parked(name, stream))
                .orElseThrow(() -> notParked(name, stream));
        return json(StreamView.of(parked));
    }

    @Operation(operationId = "resumeParkedStream", summary = "Resume a parked stream after the fix: its waiting events are applied in order, each once",
            description = "When one fails again, the ones before it stay applied and the stream stays parked at it "
                    + "(parked: true, with the new error). The caller is recorded with the events applied.")
    @ApiResponse(responseCode = "404", description = "No such projection, or the stream is not parked",
            content = @Content(mediaType = ProblemResponses.PROBLEM_JSON,
                    schema = @Schema(implementation = ApiDocumentation.ProblemDocument.class)),
        headers = @Header(name = RequestMetadata.CORRELATION_ID, description = RequestMetadata.CORRELATION_ECHOED, schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "200", description = "What resuming applied", content = @Content(schema = @Schema(implementation = ResumedView.class)),
        headers = @Header(name = RequestMetadata.CORRELATION_ID, description = RequestMetadata.CORRELATION_ECHOED, schema = @Schema(type = "string")))
    @Post("/{streamId}/resume")
    @Produces(MediaType.APPLICATION_JSON)
    public HttpResponse<String> resume(@PathVariable String name, @PathVariable String streamId, HttpRequest<?> request) {
        String stream = QueryParameters.streamId(streamId).value();
        String by = RequestMetadata.of(request).userId();
        ParkedStreams.Resumed resumed = mapped(name, stream, () -> operations.resumeStream(name, stream, by));
        return json(new ResumedView(name, stream, resumed.applied(), resumed.stillParked().isPresent(),
                StreamView.of(resumed.stillParked())));
    }

    @Operation(operationId = "skipParkedEvent", summary = "Skip the head event of a parked stream for good, recording who (the caller), when and why",
            description = "An event is never removed from the log; a skipped one is never applied to this read model, "
                    + "rebuilds included. The events behind it keep waiting until the stream is resumed.")
    @RequestBody(content = @Content(schema = @Schema(implementation = SkipRequest.class)))
    @ApiResponse(responseCode = "404", description = "No such projection, or the stream is not parked",
            content = @Content(mediaType = ProblemResponses.PROBLEM_JSON,
                    schema = @Schema(implementation = ApiDocumentation.ProblemDocument.class)),
        headers = @Header(name = RequestMetadata.CORRELATION_ID, description = RequestMetadata.CORRELATION_ECHOED, schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "409", description = "The stream's head is not at position", content = @Content(mediaType = ProblemResponses.PROBLEM_JSON,
            schema = @Schema(implementation = ApiDocumentation.ProblemDocument.class)),
        headers = @Header(name = RequestMetadata.CORRELATION_ID, description = RequestMetadata.CORRELATION_ECHOED, schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "200", description = "What was skipped", content = @Content(schema = @Schema(implementation = SkippedView.class)),
        headers = @Header(name = RequestMetadata.CORRELATION_ID, description = RequestMetadata.CORRELATION_ECHOED, schema = @Schema(type = "string")))
    @ApiBodyProblems
    @Post("/{streamId}/skip")
    @Produces(MediaType.APPLICATION_JSON)
    public HttpResponse<String> skip(@PathVariable String name, @PathVariable String streamId,
                                     @Body @Nullable byte[] body, HttpRequest<?> request) {
        String stream = QueryParameters.streamId(streamId).value();
        String by = RequestMetadata.of(request).userId();
        SkipRequest skip = valid(ApiJson.read(body, SkipRequest.class));
        ParkedStreams.Skipped skipped = mapped(name, stream,
                () -> operations.skip(name, stream, skip.position(), by, skip.reason().strip()));
        return json(new SkippedView(name, stream, EventView.of(skipped.skipped()), skipped.skip().by(),
                skipped.skip().at(), skipped.skip().reason(), skipped.stillParked().isPresent(),
                StreamView.of(skipped.stillParked())));
    }

    private static SkipRequest valid(SkipRequest request) {
        List<ApiProblem.InvalidParam> invalid = new ArrayList<>();
        if (request.position() == null || request.position() < 1) {
            invalid.add(new ApiProblem.InvalidParam("position", "the position of the stream's head event, as listed"));
        }
        if (request.reason() == null || request.reason().isBlank()) {
            invalid.add(new ApiProblem.InvalidParam("reason", "why the event is skipped; it is kept with it for good"));
        } else if (request.reason().length() > MAX_REASON_LENGTH) {
            invalid.add(new ApiProblem.InvalidParam("reason", "at most " + MAX_REASON_LENGTH + " characters"));
        } else if (request.reason().chars().anyMatch(Character::isISOControl)) {
            // It goes into a log line as it is: no line breaks or other control characters.
            invalid.add(new ApiProblem.InvalidParam("reason", "one line of text, without control characters"));
        }
        if (!invalid.isEmpty()) {
            throw ApiProblem.invalid(invalid);
        }
        return request;
    }

    private static <T> T mapped(String name, String stream, Supplier<T> action) {
        try {
            return action.get();
        } catch (ProjectionOperations.UnknownProjection e) {
            throw ProjectionController.unknown(name);
        } catch (ParkedStreams.NotParked e) {
            throw notParked(name, stream);
        } catch (ParkedStreams.HeadMoved e) {
            throw ApiProblem.withMembers(HttpStatus.CONFLICT, "parked-head-moved", "The stream is parked at another event",
                    e.getMessage() + "; GET /api/projections/" + name + "/parked/" + stream + " shows its head",
                    Map.of("headPosition", e.head()));
        }
    }

    private static ApiProblem notParked(String name, String stream) {
        return ApiProblem.of(HttpStatus.NOT_FOUND, "stream-not-parked", "The stream is not parked",
                "projection " + name + " holds no event of stream " + stream + "; GET /api/projections/" + name
                        + "/parked lists the parked ones");
    }

    private static HttpResponse<String> json(Object body) {
        return HttpResponse.<String>status(HttpStatus.OK).body(ApiJson.write(body)).contentType(MediaType.APPLICATION_JSON_TYPE);
    }
}
