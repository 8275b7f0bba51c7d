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
 * The problems every route under {@code /api} may answer, declared once for the OpenAPI document:
 * put on a controller, they apply to each of its operations.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ApiResponse(responseCode = "400", description = "A malformed parameter, header or body",
        content = @Content(mediaType = ProblemResponses.PROBLEM_JSON, schema = @Schema(implementation = ApiDocumentation.ProblemDocument.class)))
@ApiResponse(responseCode = "401", description = "No valid token (unauthenticated)",
        headers = @Header(name = "WWW-Authenticate", description = "Bearer", schema = @Schema(type = "string")),
        content = @Content(mediaType = ProblemResponses.PROBLEM_JSON, schema = @Schema(implementation = ApiDocumentation.ProblemDocument.class)))
@ApiResponse(responseCode = "403", description = "The token lacks the role or the category (forbidden)",
        content = @Content(mediaType = ProblemResponses.PROBLEM_JSON, schema = @Schema(implementation = ApiDocumentation.ProblemDocument.class)))
@ApiResponse(responseCode = "503", description = "The database is unavailable; retry after Retry-After",
        headers = @Header(name = "Retry-After", description = "seconds", schema = @Schema(type = "integer")),
        content = @Content(mediaType = ProblemResponses.PROBLEM_JSON, schema = @Schema(implementation = ApiDocumentation.ProblemDocument.class)))
public @interface ApiProblems {
}
