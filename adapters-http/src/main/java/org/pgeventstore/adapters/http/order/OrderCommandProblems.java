package org.pgeventstore.adapters.http.order;

import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.pgeventstore.adapters.http.ApiDocumentation;
import org.pgeventstore.adapters.http.ProblemResponses;

/**
 * The problems every command on an existing order may answer beside those of every route
 * ({@link org.pgeventstore.adapters.http.ApiProblems}), declared once for the OpenAPI document.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@ApiResponse(responseCode = "409", description = "Not allowed in the order's status (invalid-transition), or the retries were exhausted",
        content = @Content(mediaType = ProblemResponses.PROBLEM_JSON, schema = @Schema(implementation = ApiDocumentation.ProblemDocument.class)))
@ApiResponse(responseCode = "412", description = "If-Match does not match the order's version",
        content = @Content(mediaType = ProblemResponses.PROBLEM_JSON, schema = @Schema(implementation = ApiDocumentation.ProblemDocument.class)))
@ApiResponse(responseCode = "413", description = "The body is too large",
        content = @Content(mediaType = ProblemResponses.PROBLEM_JSON, schema = @Schema(implementation = ApiDocumentation.ProblemDocument.class)))
@ApiResponse(responseCode = "415", description = "The body is not application/json",
        content = @Content(mediaType = ProblemResponses.PROBLEM_JSON, schema = @Schema(implementation = ApiDocumentation.ProblemDocument.class)))
@ApiResponse(responseCode = "422", description = "Invalid request; invalidParams names each field",
        content = @Content(mediaType = ProblemResponses.PROBLEM_JSON, schema = @Schema(implementation = ApiDocumentation.ProblemDocument.class)))
@ApiResponse(responseCode = "404", description = "Unknown order",
        content = @Content(mediaType = ProblemResponses.PROBLEM_JSON, schema = @Schema(implementation = ApiDocumentation.ProblemDocument.class)))
@interface OrderCommandProblems {
}
