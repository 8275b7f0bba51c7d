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

/** The problems of every route that reads a JSON body, declared once for the OpenAPI document. */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@ApiResponse(responseCode = "413", description = "The body is too large (on an append: or an event in it)",
        content = @Content(mediaType = ProblemResponses.PROBLEM_JSON, schema = @Schema(implementation = ApiDocumentation.ProblemDocument.class)),
        headers = @Header(name = RequestMetadata.CORRELATION_ID, description = RequestMetadata.CORRELATION_ECHOED, schema = @Schema(type = "string")))
@ApiResponse(responseCode = "415", description = "The body is not application/json",
        content = @Content(mediaType = ProblemResponses.PROBLEM_JSON, schema = @Schema(implementation = ApiDocumentation.ProblemDocument.class)),
        headers = @Header(name = RequestMetadata.CORRELATION_ID, description = RequestMetadata.CORRELATION_ECHOED, schema = @Schema(type = "string")))
@ApiResponse(responseCode = "422", description = "Well-formed JSON that breaks the rules; invalidParams names each field",
        content = @Content(mediaType = ProblemResponses.PROBLEM_JSON, schema = @Schema(implementation = ApiDocumentation.ProblemDocument.class)),
        headers = @Header(name = RequestMetadata.CORRELATION_ID, description = RequestMetadata.CORRELATION_ECHOED, schema = @Schema(type = "string")))
public @interface ApiBodyProblems {
}
