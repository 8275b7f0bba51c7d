package org.pgeventstore.adapters.http;

import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The problems every route under {@code /api} may answer (a malformed request, no or a refused token, too many
 * tokens that are not valid, a fault, the database down), declared once for the OpenAPI document:
 * put on a controller, they apply to each of its operations.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ApiResponse(responseCode = "400", description = "A malformed parameter, header or body",
        content = @Content(mediaType = ProblemResponses.PROBLEM_JSON, schema = @Schema(implementation = ApiDocumentation.ProblemDocument.class)),
        headers = @Header(name = RequestMetadata.CORRELATION_ID, description = RequestMetadata.CORRELATION_ECHOED, schema = @Schema(type = "string")))
@ApiResponse(responseCode = "401", description = "No valid token (unauthenticated)",
        headers = {@Header(name = "WWW-Authenticate", description = "Bearer", schema = @Schema(type = "string")),
            @Header(name = RequestMetadata.CORRELATION_ID, description = RequestMetadata.CORRELATION_ECHOED, schema = @Schema(type = "string"))},
        content = @Content(mediaType = ProblemResponses.PROBLEM_JSON, schema = @Schema(implementation = ApiDocumentation.ProblemDocument.class)))
@ApiResponse(responseCode = "403", description = "The token lacks the role or the category (forbidden)",
        content = @Content(mediaType = ProblemResponses.PROBLEM_JSON, schema = @Schema(implementation = ApiDocumentation.ProblemDocument.class)),
        headers = @Header(name = RequestMetadata.CORRELATION_ID, description = RequestMetadata.CORRELATION_ECHOED, schema = @Schema(type = "string")))
@ApiResponse(responseCode = "429", description = "This address presented too many tokens that are not valid; retry after Retry-After",
        headers = {@Header(name = "Retry-After", description = "seconds", schema = @Schema(type = "integer")),
            @Header(name = RequestMetadata.CORRELATION_ID, description = RequestMetadata.CORRELATION_ECHOED, schema = @Schema(type = "string"))},
        content = @Content(mediaType = ProblemResponses.PROBLEM_JSON, schema = @Schema(implementation = ApiDocumentation.ProblemDocument.class)))
@ApiResponse(responseCode = "500", description = "A stored event the service cannot read (/unreadable-event, naming it), "
        + "or another fault of the service; the detail says what to do",
        headers = @Header(name = RequestMetadata.CORRELATION_ID, description = RequestMetadata.CORRELATION_ECHOED, schema = @Schema(type = "string")),
        content = @Content(mediaType = ProblemResponses.PROBLEM_JSON, schema = @Schema(implementation = ApiDocumentation.ProblemDocument.class)))
@ApiResponse(responseCode = "503", description = "The database is unavailable; retry after Retry-After",
        headers = {@Header(name = "Retry-After", description = "seconds", schema = @Schema(type = "integer")),
            @Header(name = RequestMetadata.CORRELATION_ID, description = RequestMetadata.CORRELATION_ECHOED, schema = @Schema(type = "string"))},
        content = @Content(mediaType = ProblemResponses.PROBLEM_JSON, schema = @Schema(implementation = ApiDocumentation.ProblemDocument.class)))
public @interface ApiProblems {
}
