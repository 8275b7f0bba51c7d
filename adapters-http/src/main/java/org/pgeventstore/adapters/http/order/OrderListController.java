package org.pgeventstore.adapters.http.order;

import io.swagger.v3.oas.annotations.headers.Header;
import org.pgeventstore.adapters.http.RequestMetadata;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.pgeventstore.adapters.http.ApiDocumentation;
import org.pgeventstore.adapters.http.ApiJson;
import org.pgeventstore.adapters.http.ApiLimits;
import org.pgeventstore.adapters.http.ApiProblem;
import org.pgeventstore.adapters.http.ApiProblems;
import org.pgeventstore.adapters.http.ProblemResponses;
import org.pgeventstore.application.order.readmodel.OrderListPage;
import org.pgeventstore.application.order.readmodel.OrderListQuery;
import org.pgeventstore.application.order.readmodel.OrderReadModel;
import org.pgeventstore.domain.order.CustomerId;
import org.pgeventstore.domain.order.OrderStatus;

/**
 * The order list, served from the read model that the order projection keeps (never by replaying
 * streams): newest first, cursor-paged, filtered by status and customer. {@code minPosition} reads
 * your own writes: it waits, for a bounded time, until the projection has applied that position.
 */
@Controller("/api/orders")
@ApiProblems
@Tag(name = "orders")
@ExecuteOn(TaskExecutors.BLOCKING)
@Requires(beans = OrderReadModel.class)
public class OrderListController {

    /** Seconds a client should wait before asking again when the read model has not caught up. */
    static final String RETRY_AFTER_SECONDS = "1";
    private static final String CURSOR_VERSION = "1";

    private final OrderReadModel readModel;
    private final ApiLimits limits;
    private final Duration readYourWritesTimeout;

    public OrderListController(OrderReadModel readModel, ApiLimits limits,
                               @Value("${eventstore.projections.read-your-writes-timeout:2s}") Duration readYourWritesTimeout) {
        this.readModel = readModel;
        this.limits = limits;
        this.readYourWritesTimeout = readYourWritesTimeout;
    }

    @Schema(name = "OrderListPage")
    record ListResponse(List<OrderView> items,
                        @Nullable @Schema(description = "Pass as after for the next page; null on the last page")
                        String next) {
    }

    @Operation(summary = "List orders, newest first, from the read model", operationId = "listOrders",
            description = "Filter by status and customerId; pass next as after for the following page. "
                    + "minPosition (a command response's position) waits until the read model has applied it.")
    @ApiResponse(responseCode = "200", description = "A page of order views, newest first", content = @Content(schema = @Schema(implementation = ListResponse.class)),
        headers = @Header(name = RequestMetadata.CORRELATION_ID, description = RequestMetadata.CORRELATION_ECHOED, schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "400", description = "A parameter is not valid", content = @Content(mediaType = ProblemResponses.PROBLEM_JSON,
            schema = @Schema(implementation = ApiDocumentation.ProblemDocument.class)),
        headers = @Header(name = RequestMetadata.CORRELATION_ID, description = RequestMetadata.CORRELATION_ECHOED, schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "503", description = "The read model has not applied minPosition in time; retry after Retry-After",
            content = @Content(mediaType = ProblemResponses.PROBLEM_JSON,
                    schema = @Schema(implementation = ApiDocumentation.ProblemDocument.class)),
        headers = {@Header(name = "Retry-After", description = "seconds", schema = @Schema(type = "integer")),
            @Header(name = RequestMetadata.CORRELATION_ID, description = RequestMetadata.CORRELATION_ECHOED, schema = @Schema(type = "string"))})
    @Get
    @Produces(MediaType.APPLICATION_JSON)
    public HttpResponse<String> list(@QueryValue @Nullable @Parameter(schema = @Schema(type = "string",
                                             allowableValues = {"placed", "paid", "shipped", "delivered", "cancelled"}))
                                     String status,
                                     @QueryValue @Nullable String customerId,
                                     @QueryValue @Nullable @Parameter(schema = @Schema(type = "integer", minimum = "1"))
                                     String limit,
                                     @QueryValue @Nullable @Parameter(description = "A page's next") String after,
                                     @QueryValue @Nullable @Parameter(description = "Wait until the read model applied "
                                             + "this position (a command response's position)", schema = @Schema(
                                             type = "integer", format = "int64", minimum = "0")) String minPosition,
                                     HttpRequest<?> request) {
        OrderListQuery query = new OrderListQuery(status(status), customer(customerId), pageSize(limit), cursor(after));
        Optional<Long> wanted = minPosition == null || minPosition.isEmpty() ? Optional.empty()
                : Optional.of(wholeNumber("minPosition", minPosition));
        // A replica that has not replayed the projection that far hands over to the primary's read model.
        OrderReadModel model = wanted.isPresent() ? readModel.reflecting(wanted.get()) : readModel;
        if (wanted.isPresent() && !awaitApplied(model, wanted.get())) {
            return ProblemResponses.of(HttpStatus.SERVICE_UNAVAILABLE, "read-model-behind",
                            "The read model has not caught up yet",
                            "the order read model has not applied position " + wanted.get() + " within "
                                    + readYourWritesTimeout.toMillis() + " ms; retry after a moment",
                            Map.of("minPosition", wanted.get(), "appliedPosition", model.appliedPosition()), request)
                    .header("Retry-After", RETRY_AFTER_SECONDS);
        }
        OrderListPage page = model.list(query);
        List<OrderView> items = page.items().stream().map(row -> OrderView.of(row.order(), row.lastPosition())).toList();
        return HttpResponse.ok(ApiJson.write(new ListResponse(items, page.next().map(OrderListController::encode).orElse(null))))
                .contentType(MediaType.APPLICATION_JSON_TYPE);
    }

    private boolean awaitApplied(OrderReadModel model, long position) {
        long deadline = System.nanoTime() + readYourWritesTimeout.toNanos();
        long pauseMillis = 1;
        while (model.appliedPosition() < position) {
            if (System.nanoTime() >= deadline) {
                return false;
            }
            try {
                Thread.sleep(pauseMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            pauseMillis = Math.min(pauseMillis * 2, 20);
        }
        return true;
    }

    private static Optional<OrderStatus> status(String status) {
        if (status == null || status.isEmpty()) {
            return Optional.empty();
        }
        for (OrderStatus candidate : OrderStatus.values()) {
            if (candidate != OrderStatus.NOT_PLACED && candidate.inWords().equals(status.toLowerCase(Locale.ROOT))) {
                return Optional.of(candidate);
            }
        }
        throw ApiProblem.badParameter("status", "must be one of placed, paid, shipped, delivered, cancelled; was "
                + abbreviate(status));
    }

    private static Optional<String> customer(String customerId) {
        if (customerId == null) {
            return Optional.empty();
        }
        if (customerId.isBlank() || customerId.length() > CustomerId.MAX_LENGTH) {
            throw ApiProblem.badParameter("customerId", "must be 1.." + CustomerId.MAX_LENGTH + " characters");
        }
        return Optional.of(customerId);
    }

    private int pageSize(String limit) {
        if (limit == null || limit.isEmpty()) {
            return limits.getDefaultPageSize();
        }
        long requested = wholeNumber("limit", limit);
        if (requested < 1) {
            throw ApiProblem.badParameter("limit", "must be 1 or more; was " + requested);
        }
        return (int) Math.min(requested, limits.getMaxPageSize());
    }

    private static long wholeNumber(String name, String value) {
        try {
            long parsed = Long.parseLong(value);
            if (parsed < 0) {
                throw ApiProblem.badParameter(name, "must be 0 or more; was " + parsed);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw ApiProblem.badParameter(name, "must be a whole number; was " + abbreviate(value));
        }
    }

    /** An opaque cursor: base64url of {@code 1:<epochSecond>:<nano>:<id>}. */
    static String encode(OrderListQuery.Cursor cursor) {
        String text = CURSOR_VERSION + ":" + cursor.placedAt().getEpochSecond() + ":" + cursor.placedAt().getNano() + ":"
                + cursor.id();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static Optional<OrderListQuery.Cursor> cursor(String after) {
        if (after == null || after.isEmpty()) {
            return Optional.empty();
        }
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(after), StandardCharsets.UTF_8).split(":");
            if (parts.length != 4 || !parts[0].equals(CURSOR_VERSION)) {
                throw new IllegalArgumentException("unknown cursor shape");
            }
            Instant placedAt = Instant.ofEpochSecond(Long.parseLong(parts[1]), Long.parseLong(parts[2]));
            return Optional.of(new OrderListQuery.Cursor(placedAt, UUID.fromString(parts[3])));
        } catch (RuntimeException e) {
            throw ApiProblem.badParameter("after", "must be the next cursor of a previous page; was " + abbreviate(after));
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }
}
