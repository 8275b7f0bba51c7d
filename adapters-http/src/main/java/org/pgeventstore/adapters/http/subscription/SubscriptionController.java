package org.pgeventstore.adapters.http.subscription;

import org.pgeventstore.adapters.http.ApiExamples;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.headers.Header;
import org.pgeventstore.adapters.http.RequestMetadata;
import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.pgeventstore.adapters.http.ApiBodyProblems;
import org.pgeventstore.adapters.http.ApiDocumentation;
import org.pgeventstore.adapters.http.ApiJson;
import org.pgeventstore.adapters.http.ApiLimits;
import org.pgeventstore.adapters.http.ApiProblem;
import org.pgeventstore.adapters.http.ApiProblems;
import org.pgeventstore.adapters.http.EventView;
import org.pgeventstore.adapters.http.ProblemResponses;
import org.pgeventstore.adapters.http.QueryParameters;
import org.pgeventstore.adapters.http.security.Caller;
import org.pgeventstore.application.subscription.Delivery;
import org.pgeventstore.application.subscription.Subscription;
import org.pgeventstore.application.subscription.SubscriptionRejection.UnknownSubscription;
import org.pgeventstore.application.subscription.SubscriptionService;

/**
 * Durable consumer groups: define one, long-poll its events as one member of a group, acknowledge
 * them. A caller limited to categories sees and uses only subscriptions of one of its categories.
 */
@Controller("/api/subscriptions")
@ApiProblems
@Tag(name = "subscriptions")
@ExecuteOn(TaskExecutors.BLOCKING)
@Requires(beans = SubscriptionService.class)
public class SubscriptionController {

    private static final Pattern WAIT = Pattern.compile("(\\d{1,9})(ms|s)?");

    private final SubscriptionService service;
    private final ApiLimits limits;

    public SubscriptionController(SubscriptionService service, ApiLimits limits) {
        this.service = service;
        this.limits = limits;
    }

    @Schema(name = "SubscriptionRequest")
    record PutBody(@Nullable String category, @Nullable List<String> types,
                   @Schema(description = "\"beginning\", \"end\" or a position", requiredMode = Schema.RequiredMode.REQUIRED,
                           implementation = Object.class, oneOf = {ApiDocumentation.ExpectedVersionNumber.class, StartWord.class})
                   JsonNode startFrom,
                   @Nullable @Schema(description = "The group's size; a change waits until every member reached one "
                           + "checkpoint") Integer members) {
    }

    /** A start as a word. */
    @Schema(name = "SubscriptionStartWord", type = "string", allowableValues = {"beginning", "end"})
    static final class StartWord {
        private StartWord() {
        }
    }

    @Schema(name = "SubscriptionAck")
    record AckBody(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "The next of a poll") Long position,
                   @Nullable @Schema(description = "0..members-1, default 0") Integer member,
                   @Nullable @Schema(description = "The group's size, default 1") Integer members) {
    }

    @Schema(name = "SubscriptionEvents")
    record EventsResponse(List<ApiDocumentation.EventDocument> events,
                          @Schema(description = "The position to acknowledge") long next) {
    }

    /** The body of a poll; the document's schema is {@link EventsResponse}. */
    record EventsBody(List<EventView> events, long next) {
    }

    @Operation(summary = "Create or update a subscription", operationId = "putSubscription",
            description = "201 when created, 200 when it existed. "
            + "A changed filter keeps the checkpoints; a changed startFrom moves every member's checkpoint to it; "
            + "another members changes the group's size once every member reached one checkpoint.")
    @RequestBody(content = @Content(schema = @Schema(implementation = PutBody.class),
            examples = @ExampleObject(name = "paid-orders-two-members", value = ApiExamples.SUBSCRIPTION)))
    @ApiResponse(responseCode = "201", description = "Created", content = @Content(schema = @Schema(implementation = SubscriptionView.class)),
        headers = @Header(name = RequestMetadata.CORRELATION_ID, description = RequestMetadata.CORRELATION_ECHOED, schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "200", description = "It existed; updated", content = @Content(schema = @Schema(implementation = SubscriptionView.class)),
        headers = @Header(name = RequestMetadata.CORRELATION_ID, description = RequestMetadata.CORRELATION_ECHOED, schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "409", description = "A change of size while members disagree", content = @Content(mediaType = ProblemResponses.PROBLEM_JSON, schema = @Schema(implementation = ApiDocumentation.ProblemDocument.class)),
        headers = @Header(name = RequestMetadata.CORRELATION_ID, description = RequestMetadata.CORRELATION_ECHOED, schema = @Schema(type = "string")))
    @ApiBodyProblems
    @Put("/{name}")
    @Produces(MediaType.APPLICATION_JSON)
    public HttpResponse<String> put(@PathVariable String name, @Body @Nullable byte[] body, HttpRequest<?> request) {
        requireName(name);
        PutBody put = ApiJson.read(body, PutBody.class);
        Optional<String> category = Optional.ofNullable(put.category());
        Caller caller = Caller.of(request);
        requireVisible(caller, name, category);
        SubscriptionService.Put stored = service.put(name, category, types(put.types()), startFrom(put.startFrom()),
                put.members() == null ? OptionalInt.empty() : OptionalInt.of(put.members()));
        return json(stored.created() ? HttpStatus.CREATED : HttpStatus.OK,
                SubscriptionView.of(service.find(name).orElseThrow(() -> new UnknownSubscription(name))));
    }

    @Operation(summary = "Every subscription the caller may use, with position, lag, members and each member's checkpoint",
            operationId = "listSubscriptions", description = "A key limited to categories sees only subscriptions of them.")
    @ApiResponse(responseCode = "200", description = "The subscriptions", content = @Content(array = @ArraySchema(
            schema = @Schema(implementation = SubscriptionView.class))),
        headers = @Header(name = RequestMetadata.CORRELATION_ID, description = RequestMetadata.CORRELATION_ECHOED, schema = @Schema(type = "string")))
    @Get
    @Produces(MediaType.APPLICATION_JSON)
    public HttpResponse<String> list(HttpRequest<?> request) {
        Caller caller = Caller.of(request);
        return json(HttpStatus.OK, service.list().stream()
                .filter(status -> visibleTo(caller, status.subscription().category()))
                .map(SubscriptionView::of).toList());
    }

    @Operation(summary = "One subscription", operationId = "getSubscription",
            description = "Its filter, position, lag, size and each member's checkpoint.")
    @ApiResponse(responseCode = "200", description = "The subscription", content = @Content(schema = @Schema(implementation = SubscriptionView.class)),
        headers = @Header(name = RequestMetadata.CORRELATION_ID, description = RequestMetadata.CORRELATION_ECHOED, schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "404", description = "No such subscription", content = @Content(mediaType = ProblemResponses.PROBLEM_JSON, schema = @Schema(implementation = ApiDocumentation.ProblemDocument.class)),
        headers = @Header(name = RequestMetadata.CORRELATION_ID, description = RequestMetadata.CORRELATION_ECHOED, schema = @Schema(type = "string")))
    @Get("/{name}")
    @Produces(MediaType.APPLICATION_JSON)
    public HttpResponse<String> one(@PathVariable String name, HttpRequest<?> request) {
        return json(HttpStatus.OK, SubscriptionView.of(visible(name, request)));
    }

    @Operation(summary = "Delete a subscription and its checkpoints", operationId = "deleteSubscription",
            description = "Its members' next polls get 404.")
    @ApiResponse(responseCode = "204", description = "Deleted",
        headers = @Header(name = RequestMetadata.CORRELATION_ID, description = RequestMetadata.CORRELATION_ECHOED, schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "404", description = "No such subscription", content = @Content(mediaType = ProblemResponses.PROBLEM_JSON, schema = @Schema(implementation = ApiDocumentation.ProblemDocument.class)),
        headers = @Header(name = RequestMetadata.CORRELATION_ID, description = RequestMetadata.CORRELATION_ECHOED, schema = @Schema(type = "string")))
    @Delete("/{name}")
    public HttpResponse<?> delete(@PathVariable String name, HttpRequest<?> request) {
        visible(name, request);
        if (!service.delete(name)) {
            throw new UnknownSubscription(name);
        }
        return HttpResponse.noContent();
    }

    @Operation(summary = "Long-poll a member's events", operationId = "pollSubscription",
            description = "The events after this member's checkpoint "
            + "that match the subscription, as soon as there are any, or none after wait. next is the position to "
            + "acknowledge; it covers everything scanned.")
    @ApiResponse(responseCode = "200", description = "The events, possibly none", content = @Content(schema = @Schema(implementation = EventsResponse.class)),
        headers = @Header(name = RequestMetadata.CORRELATION_ID, description = RequestMetadata.CORRELATION_ECHOED, schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "404", description = "No such subscription", content = @Content(mediaType = ProblemResponses.PROBLEM_JSON, schema = @Schema(implementation = ApiDocumentation.ProblemDocument.class)),
        headers = @Header(name = RequestMetadata.CORRELATION_ID, description = RequestMetadata.CORRELATION_ECHOED, schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "409", description = "members is not the group's size", content = @Content(mediaType = ProblemResponses.PROBLEM_JSON, schema = @Schema(implementation = ApiDocumentation.ProblemDocument.class)),
        headers = @Header(name = RequestMetadata.CORRELATION_ID, description = RequestMetadata.CORRELATION_ECHOED, schema = @Schema(type = "string")))
    @Get("/{name}/events")
    @Produces(MediaType.APPLICATION_JSON)
    public HttpResponse<String> events(@PathVariable String name,
                                       @QueryValue @Nullable @Parameter(schema = @Schema(type = "integer", minimum = "1"))
                                       String limit,
                                       @QueryValue @Nullable @Parameter(description = "How long to wait for events, "
                                               + "e.g. 5s or 500ms", schema = @Schema(type = "string",
                                               pattern = "^[0-9]{1,9}(ms|s)?$")) String wait,
                                       @QueryValue @Nullable @Parameter(schema = @Schema(type = "integer", minimum = "0"))
                                       String member,
                                       @QueryValue @Nullable @Parameter(schema = @Schema(type = "integer", minimum = "1"))
                                       String members, HttpRequest<?> request) {
        int size = (int) QueryParameters.longAtLeast("limit", limit, limits.getDefaultPageSize(), 1);
        if (size > limits.getMaxPageSize()) {
            throw ApiProblem.badParameter("limit", "must be 1.." + limits.getMaxPageSize() + "; was " + size);
        }
        Duration waitFor = waitParameter(wait);
        int[] group = group(member, members);
        visible(name, request);
        Delivery delivery;
        try {
            delivery = service.poll(name, group[0], group[1], size, waitFor);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiProblem.of(HttpStatus.SERVICE_UNAVAILABLE, "shutting-down", "The service is stopping",
                    "the poll was interrupted while it waited; poll again");
        }
        return json(HttpStatus.OK, new EventsBody(delivery.events().stream().map(EventView::of).toList(), delivery.next()));
    }

    @Operation(summary = "Acknowledge a member's events up to a position (next of a poll)", operationId = "ackSubscription",
            description = "An ack at or before the checkpoint is ignored; events not acknowledged are delivered again.")
    @RequestBody(content = @Content(schema = @Schema(implementation = AckBody.class),
            examples = @ExampleObject(name = "member-0", value = ApiExamples.ACK)))
    @ApiResponse(responseCode = "204", description = "The checkpoint moved",
        headers = @Header(name = RequestMetadata.CORRELATION_ID, description = RequestMetadata.CORRELATION_ECHOED, schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "404", description = "No such subscription", content = @Content(mediaType = ProblemResponses.PROBLEM_JSON, schema = @Schema(implementation = ApiDocumentation.ProblemDocument.class)),
        headers = @Header(name = RequestMetadata.CORRELATION_ID, description = RequestMetadata.CORRELATION_ECHOED, schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "409", description = "Beyond what was delivered, or members is not the group's size", content = @Content(mediaType = ProblemResponses.PROBLEM_JSON, schema = @Schema(implementation = ApiDocumentation.ProblemDocument.class)),
        headers = @Header(name = RequestMetadata.CORRELATION_ID, description = RequestMetadata.CORRELATION_ECHOED, schema = @Schema(type = "string")))
    @ApiBodyProblems
    @Post("/{name}/ack")
    public HttpResponse<?> ack(@PathVariable String name, @Body @Nullable byte[] body, HttpRequest<?> request) {
        requireName(name);
        AckBody ack = ApiJson.read(body, AckBody.class);
        if (ack.position() == null || ack.position() < 0) {
            throw ApiProblem.invalid(List.of(new ApiProblem.InvalidParam("position",
                    "is required: the next of a poll, 0 or more")));
        }
        int members = ack.members() == null ? 1 : ack.members();
        int member = ack.member() == null ? 0 : ack.member();
        int max = service.settings().maxMembers();
        if (members < 1 || members > max || member < 0 || member >= members) {
            throw ApiProblem.invalid(List.of(new ApiProblem.InvalidParam(members < 1 || members > max ? "members" : "member",
                    "members must be 1.." + max + " and member 0..members-1; were member=" + member + ", members=" + members)));
        }
        visible(name, request);
        service.ack(name, member, members, ack.position());
        return HttpResponse.noContent();
    }

    private SubscriptionService.Status visible(String name, HttpRequest<?> request) {
        requireName(name);
        SubscriptionService.Status status = service.find(name).orElseThrow(() -> new UnknownSubscription(name));
        requireVisible(Caller.of(request), name, status.subscription().category());
        return status;
    }

    private static boolean visibleTo(Caller caller, Optional<String> category) {
        return caller.categories().isEmpty() || category.map(caller::mayUse).orElse(false);
    }

    /** A caller limited to categories uses only subscriptions of one of them: one without a category would show it all. */
    private static void requireVisible(Caller caller, String name, Optional<String> category) {
        if (caller.categories().isEmpty()) {
            return;
        }
        if (category.isEmpty()) {
            throw ApiProblem.withMembers(HttpStatus.FORBIDDEN, "forbidden", "Not allowed", caller.principal()
                            + " may use only the categories " + caller.categories().get() + "; subscription " + name
                            + " has no category, so it would deliver every category",
                    Map.of("allowedCategories", List.copyOf(caller.categories().get())));
        }
        caller.requireCategory(category.get());
    }

    private static void requireName(String name) {
        if (!Subscription.isValidName(name)) {
            throw ApiProblem.badParameter("name", "must be 1.." + Subscription.MAX_NAME_LENGTH
                    + " characters of A-Z a-z 0-9 _ . -; was " + ApiProblem.quoted(name));
        }
    }

    private static Set<String> types(List<String> types) {
        if (types == null) {
            return Set.of();
        }
        if (types.size() > 100 || types.contains(null)) {
            throw ApiProblem.invalid(List.of(new ApiProblem.InvalidParam("types", "at most 100 type names, none null")));
        }
        return new LinkedHashSet<>(types);
    }

    private static String startFrom(JsonNode startFrom) {
        if (startFrom != null && startFrom.isTextual() && Set.of("beginning", "end").contains(startFrom.textValue())) {
            return startFrom.textValue();
        }
        if (startFrom != null && startFrom.isIntegralNumber() && startFrom.canConvertToLong() && startFrom.longValue() >= 0) {
            return Long.toString(startFrom.longValue());
        }
        throw ApiProblem.invalid(List.of(new ApiProblem.InvalidParam("startFrom",
                "is required: \"beginning\", \"end\" or a position (a whole number, 0 or more)")));
    }

    private Duration waitParameter(String wait) {
        if (wait == null || wait.isEmpty()) {
            return Duration.ZERO;
        }
        Matcher matcher = WAIT.matcher(wait);
        if (!matcher.matches()) {
            throw ApiProblem.badParameter("wait", "must be a duration such as 5s, 500ms or 0; was " + ApiProblem.quoted(wait));
        }
        long amount = Long.parseLong(matcher.group(1));
        Duration parsed = "ms".equals(matcher.group(2)) ? Duration.ofMillis(amount) : Duration.ofSeconds(amount);
        Duration max = service.settings().maxWait();
        if (parsed.compareTo(max) > 0) {
            throw ApiProblem.badParameter("wait", "must be at most " + max.toSeconds() + "s; was " + wait);
        }
        return parsed;
    }

    private int[] group(String member, String members) {
        int max = service.settings().maxMembers();
        long size = QueryParameters.longAtLeast("members", members, 1, 1);
        if (size > max) {
            throw ApiProblem.badParameter("members", "must be 1.." + max + "; was " + size);
        }
        long index = QueryParameters.longAtLeast("member", member, 0, 0);
        if (index >= size) {
            throw ApiProblem.badParameter("member", "must be 0.." + (size - 1) + " with members=" + size + "; was " + index);
        }
        return new int[] {(int) index, (int) size};
    }

    private static HttpResponse<String> json(HttpStatus status, Object body) {
        return HttpResponse.<String>status(status).body(ApiJson.write(body)).contentType(MediaType.APPLICATION_JSON_TYPE);
    }
}
