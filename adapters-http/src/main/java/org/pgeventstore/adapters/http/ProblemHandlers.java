package org.pgeventstore.adapters.http;

import io.micronaut.context.annotation.Factory;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import org.pgeventstore.application.eventstore.ConcurrencyConflict;
import org.pgeventstore.application.eventstore.DuplicateEventId;
import org.pgeventstore.application.eventstore.EventStoreUnavailable;
import org.pgeventstore.application.eventstore.ExpectedVersion;
import org.pgeventstore.application.eventstore.InvalidEventData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Maps the exceptions of the ports to problem+json responses, in one place. */
@Factory
public class ProblemHandlers {

    private static final Logger LOG = LoggerFactory.getLogger(ProblemHandlers.class);

    /** Seconds a client should wait before retrying while the database is unreachable. */
    static final String RETRY_AFTER_SECONDS = "5";

    /*
     * A write whose statement timed out may still commit when the database answers again, so the
     * client cannot be told it failed; it can be told how to find out safely.
     */
    static final String UNAVAILABLE_DETAIL = "PostgreSQL did not answer in time or cannot be reached. The outcome of "
            + "this request is unknown: a write was either stored whole or not at all. Re-sending it after Retry-After "
            + "seconds is safe with the same eventIds (appends) or the same Idempotency-Key (order commands): what "
            + "was stored is then answered, not stored twice";

    @Singleton
    @Produces
    ExceptionHandler<ApiProblem, HttpResponse<?>> apiProblem() {
        return (request, problem) -> ProblemResponses.of(problem, request);
    }

    @Singleton
    @Produces
    ExceptionHandler<ConcurrencyConflict, HttpResponse<?>> concurrencyConflict() {
        return (request, conflict) -> ProblemResponses.of(HttpStatus.CONFLICT, "concurrency-conflict",
                "The stream has moved on", conflict.getMessage() + "; read the stream and retry against its new version",
                Map.of("streamId", conflict.streamId(),
                        "expectedVersion", expectedAsJson(conflict.expected()),
                        "actualVersion", conflict.actualVersion()), request);
    }

    static Object expectedAsJson(ExpectedVersion expected) {
        return switch (expected) {
            case ExpectedVersion.Exact exact -> exact.version();
            case ExpectedVersion.NoStream noStream -> 0L;
            default -> expected.toString();
        };
    }

    @Singleton
    @Produces
    ExceptionHandler<DuplicateEventId, HttpResponse<?>> duplicateEventId() {
        return (request, duplicate) -> ProblemResponses.of(HttpStatus.CONFLICT, "duplicate-event-id",
                duplicate.contentDiffers() ? "An event id is already stored with other content" : "An event id is already stored",
                duplicate.getMessage(),
                Map.of("eventId", duplicate.eventId().toString(), "contentDiffers", duplicate.contentDiffers()), request);
    }

    @Singleton
    @Produces
    ExceptionHandler<InvalidEventData, HttpResponse<?>> invalidEventData() {
        return (request, invalid) -> ProblemResponses.of(ApiProblem.invalid(
                List.of(new ApiProblem.InvalidParam(invalid.field(), invalid.getMessage()))), request);
    }

    @Singleton
    @Produces
    ExceptionHandler<EventStoreUnavailable, HttpResponse<?>> unavailable() {
        return (request, unavailable) -> {
            LOG.warn("event=database_unavailable method={} path={} error=\"{}\"", request.getMethod(), request.getPath(),
                    unavailable.getMessage());
            return ProblemResponses.of(HttpStatus.SERVICE_UNAVAILABLE, "database-unavailable",
                            "The database is unavailable", UNAVAILABLE_DETAIL, Map.of(), request)
                    .header("Retry-After", RETRY_AFTER_SECONDS);
        };
    }

    static HttpResponse<?> internalError(HttpRequest<?> request, Throwable error) {
        String correlation = request.getAttribute(RequestMetadata.ATTRIBUTE, RequestMetadata.class)
                .map(RequestMetadata::correlationId).orElse("none");
        LOG.error("event=unexpected_error method={} path={} correlationId={}", request.getMethod(), request.getPath(),
                correlation, error);
        return ProblemResponses.of(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "Unexpected error",
                "the request failed unexpectedly; the service log has the details under correlationId " + correlation,
                Map.of(), request);
    }
}
