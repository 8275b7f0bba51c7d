package org.pgeventstore.adapters.http.projection;

import io.swagger.v3.oas.annotations.headers.Header;
import org.pgeventstore.adapters.http.RequestMetadata;
import org.pgeventstore.adapters.http.FeedView;
import org.pgeventstore.application.feed.FeedHorizon;
import org.pgeventstore.application.feed.FeedStall;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.core.annotation.Nullable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.pgeventstore.adapters.http.ApiDocumentation;
import org.pgeventstore.adapters.http.ApiJson;
import org.pgeventstore.adapters.http.ApiProblem;
import org.pgeventstore.adapters.http.ApiProblems;
import org.pgeventstore.adapters.http.ProblemResponses;
import org.pgeventstore.application.projection.ProjectionInfo;
import org.pgeventstore.application.projection.ProjectionOperations;
import org.pgeventstore.application.projection.ProjectionRebuild;
import org.pgeventstore.application.projection.ReconciliationReport;

/** Operating the projections: their state and lag, rebuild, resume after a failure, reconciliation. */
@Controller("/api/projections")
@ApiProblems
@Tag(name = "projections")
@ExecuteOn(TaskExecutors.BLOCKING)
@Requires(beans = ProjectionOperations.class)
public class ProjectionController {

    private final ProjectionOperations operations;
    private final FeedHorizon feed;

    public ProjectionController(ProjectionOperations operations, FeedHorizon feed) {
        this.operations = operations;
        this.feed = feed;
    }

    /**
     * @param lag events of the projection's category handed out by the feed and not yet applied (counted up to 100,000)
     * @param lagSeconds the age of the oldest event not yet applied
     * @param parkedStreams streams held back behind an event it could not apply (GET .../parked lists them)
     * @param runner which instance applies the feed to it: {@code this-instance}, {@code another-instance}, or
     *     {@code none} (every instance runs with projections disabled, or one is taking over)
     * @param rebuild its latest rebuild while that runs or after it failed; null when none was started or the
     *     latest one succeeded
     * @param feed what the global feed withholds from every consumer, this projection included, and who holds it back
     */
    @Schema(name = "Projection")
    record ProjectionView(String name, long position, long lag, double lagSeconds, String status,
                          @Nullable String lastError, @Nullable Long failedPosition, long parkedStreams, String runner,
                          @Nullable RebuildView rebuild, FeedView feed) {
        static ProjectionView of(ProjectionInfo info, FeedStall stall) {
            return new ProjectionView(info.name(), info.position(), info.lagEvents(), info.lagTime().toMillis() / 1000.0,
                    info.status().inWords(), info.lastError(),
                    info.failedPosition().isPresent() ? info.failedPosition().getAsLong() : null, info.parkedStreams(),
                    info.runner().name().toLowerCase(Locale.ROOT).replace('_', '-'),
                    info.rebuild().map(RebuildView::of).orElse(null), FeedView.of(stall));
        }
    }

    /**
     * @param status {@code running}, or {@code failed} (the live read model was left as it was; POST rebuild again)
     * @param position how far into the feed it got
     * @param error why it failed; null while it runs
     */
    @Schema(name = "ProjectionRebuild")
    record RebuildView(String status, long position, @Nullable String error) {
        static RebuildView of(ProjectionRebuild rebuild) {
            return new RebuildView(rebuild.status().name().toLowerCase(Locale.ROOT), rebuild.position(),
                    rebuild.error().orElse(null));
        }
    }

    private ProjectionView view(ProjectionInfo info) {
        return ProjectionView.of(info, feed.current());
    }

    // The field names predate other read models; kept, as the API's clients read them.
    @Schema(name = "Reconciliation")
    record ReconciliationView(String projection, long checkpoint, long ordersChecked, boolean consistent,
                              List<MismatchView> mismatches) {
    }

    @Schema(name = "ReconciliationMismatch")
    record MismatchView(String orderId, String problem) {
    }

    @Operation(summary = "Every projection: position, lag, status, last error", operationId = "listProjections",
            description = "Lag counts the events of the projection's categories handed out by the feed and not yet applied.")
    @ApiResponse(responseCode = "200", description = "The projections", content = @Content(array = @ArraySchema(
            schema = @Schema(implementation = ProjectionView.class))),
        headers = @Header(name = RequestMetadata.CORRELATION_ID, description = RequestMetadata.CORRELATION_ECHOED, schema = @Schema(type = "string")))
    @Get
    @Produces(MediaType.APPLICATION_JSON)
    public HttpResponse<String> list() {
        FeedStall stall = feed.current();
        return json(HttpStatus.OK, operations.list().stream().map(info -> ProjectionView.of(info, stall)).toList());
    }

    @Operation(summary = "One projection", operationId = "getProjection",
            description = "Its position, lag, status, runner, parked streams and latest rebuild.")
    @ApiResponse(responseCode = "200", description = "The projection", content = @Content(schema = @Schema(implementation = ProjectionView.class)),
        headers = @Header(name = RequestMetadata.CORRELATION_ID, description = RequestMetadata.CORRELATION_ECHOED, schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "404", description = "No such projection", content = @Content(mediaType = ProblemResponses.PROBLEM_JSON,
            schema = @Schema(implementation = ApiDocumentation.ProblemDocument.class)),
        headers = @Header(name = RequestMetadata.CORRELATION_ID, description = RequestMetadata.CORRELATION_ECHOED, schema = @Schema(type = "string")))
    @Get("/{name}")
    @Produces(MediaType.APPLICATION_JSON)
    public HttpResponse<String> one(@PathVariable String name) {
        return json(HttpStatus.OK, view(operations.find(name).orElseThrow(() -> unknown(name))));
    }

    @Operation(summary = "Rebuild from position 0 into a fresh table, swapped in once caught up; reads go on meanwhile", operationId = "rebuildProjection",
            description = "Follow it with GET /api/projections/{name}; a failed rebuild leaves the live read model as it was.")
    @ApiResponse(responseCode = "202", description = "The rebuild started: the projection, with its rebuild", content = @Content(schema = @Schema(implementation = ProjectionView.class)),
        headers = @Header(name = RequestMetadata.CORRELATION_ID, description = RequestMetadata.CORRELATION_ECHOED, schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "404", description = "No such projection", content = @Content(mediaType = ProblemResponses.PROBLEM_JSON,
            schema = @Schema(implementation = ApiDocumentation.ProblemDocument.class)),
        headers = @Header(name = RequestMetadata.CORRELATION_ID, description = RequestMetadata.CORRELATION_ECHOED, schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "409", description = "A rebuild is already running", content = @Content(mediaType = ProblemResponses.PROBLEM_JSON,
            schema = @Schema(implementation = ApiDocumentation.ProblemDocument.class)),
        headers = @Header(name = RequestMetadata.CORRELATION_ID, description = RequestMetadata.CORRELATION_ECHOED, schema = @Schema(type = "string")))
    @Post("/{name}/rebuild")
    @Produces(MediaType.APPLICATION_JSON)
    public HttpResponse<String> rebuild(@PathVariable String name) {
        mapped(name, () -> {
            operations.rebuild(name);
            return null;
        });
        return json(HttpStatus.ACCEPTED, view(operations.find(name).orElseThrow(() -> unknown(name))));
    }

    @Operation(summary = "Resume a failed projection from its checkpoint, after the cause was fixed", operationId = "resumeProjection",
            description = "A projection that is not failed is left as it is.")
    @ApiResponse(responseCode = "200", description = "The projection", content = @Content(schema = @Schema(implementation = ProjectionView.class)),
        headers = @Header(name = RequestMetadata.CORRELATION_ID, description = RequestMetadata.CORRELATION_ECHOED, schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "404", description = "No such projection", content = @Content(mediaType = ProblemResponses.PROBLEM_JSON,
            schema = @Schema(implementation = ApiDocumentation.ProblemDocument.class)),
        headers = @Header(name = RequestMetadata.CORRELATION_ID, description = RequestMetadata.CORRELATION_ECHOED, schema = @Schema(type = "string")))
    @Post("/{name}/resume")
    @Produces(MediaType.APPLICATION_JSON)
    public HttpResponse<String> resume(@PathVariable String name) {
        return json(HttpStatus.OK, view(mapped(name, () -> operations.resume(name))));
    }

    @Operation(summary = "Replay every order from the event store and compare it with its read model row", operationId = "reconcileProjection",
            description = "Reads the whole log of the projection's categories; consistent is false when any row differs.")
    @ApiResponse(responseCode = "200", description = "The report; consistent is false when any row differs", content = @Content(schema = @Schema(implementation = ReconciliationView.class)),
        headers = @Header(name = RequestMetadata.CORRELATION_ID, description = RequestMetadata.CORRELATION_ECHOED, schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "404", description = "No such projection", content = @Content(mediaType = ProblemResponses.PROBLEM_JSON,
            schema = @Schema(implementation = ApiDocumentation.ProblemDocument.class)),
        headers = @Header(name = RequestMetadata.CORRELATION_ID, description = RequestMetadata.CORRELATION_ECHOED, schema = @Schema(type = "string")))
    @Post("/{name}/reconciliation")
    @Produces(MediaType.APPLICATION_JSON)
    public HttpResponse<String> reconcile(@PathVariable String name) {
        ReconciliationReport report = mapped(name, () -> operations.reconcile(name));
        return json(HttpStatus.OK, new ReconciliationView(name, report.checkpoint(), report.checked(),
                report.consistent(), report.mismatches().stream()
                        .map(mismatch -> new MismatchView(mismatch.key(), mismatch.problem())).toList()));
    }

    private static <T> T mapped(String name, Supplier<T> action) {
        try {
            return action.get();
        } catch (ProjectionOperations.UnknownProjection e) {
            throw unknown(name);
        } catch (ProjectionOperations.RebuildInProgress e) {
            throw ApiProblem.of(HttpStatus.CONFLICT, "rebuild-in-progress", "A rebuild is already running",
                    e.getMessage() + "; follow it with GET /api/projections/" + name);
        }
    }

    static ApiProblem unknown(String name) {
        return ApiProblem.of(HttpStatus.NOT_FOUND, "unknown-projection", "No such projection",
                "no projection named " + (name.length() > 60 ? name.substring(0, 57) + "..." : name)
                        + "; GET /api/projections lists them");
    }

    private static HttpResponse<String> json(HttpStatus status, Object body) {
        return HttpResponse.<String>status(status).body(ApiJson.write(body)).contentType(MediaType.APPLICATION_JSON_TYPE);
    }
}
