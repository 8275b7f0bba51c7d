package org.pgeventstore.adapters.http;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Renders the errors the framework raises itself (no such route, wrong method or media
 * type, body too large, unconvertible parameters, unhandled exceptions) as problem+json,
 * like every other error of the API.
 */
@Singleton
@Replaces(ErrorResponseProcessor.class)
public class ProblemErrorResponseProcessor implements ErrorResponseProcessor<String> {

    @Override
    @SuppressWarnings("unchecked")
    public MutableHttpResponse<String> processResponse(ErrorContext context, MutableHttpResponse<?> baseResponse) {
        HttpStatus status = baseResponse.getStatus();
        if (status.getCode() >= 500) {
            return (MutableHttpResponse<String>) ProblemHandlers.internalError(context.getRequest(),
                    context.getRootCause().orElse(new IllegalStateException("error response without a cause")));
        }
        String detail = context.getErrors().stream().map(Error::getMessage).collect(Collectors.joining("; "));
        MutableHttpResponse<String> problem = ProblemResponses.of(status, slug(status), status.getReason(),
                detail.isEmpty() ? status.getReason() : detail, Map.of(), context.getRequest());
        baseResponse.getHeaders().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("Content-Type") && !name.equalsIgnoreCase("Content-Length")) {
                values.forEach(value -> problem.header(name, value));
            }
        });
        return problem;
    }

    private static String slug(HttpStatus status) {
        return switch (status) {
            case BAD_REQUEST -> "bad-request";
            case NOT_FOUND -> "not-found";
            case METHOD_NOT_ALLOWED -> "method-not-allowed";
            case NOT_ACCEPTABLE -> "not-acceptable";
            case REQUEST_ENTITY_TOO_LARGE -> "request-too-large";
            case UNSUPPORTED_MEDIA_TYPE -> "unsupported-media-type";
            case REQUEST_HEADER_FIELDS_TOO_LARGE -> "headers-too-large";
            default -> status.name().toLowerCase().replace('_', '-');
        };
    }
}
