package org.pgeventstore.adapters.http.order;

import org.pgeventstore.adapters.http.RequestMetadata;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.pgeventstore.adapters.http.ApiBodyProblems;
import org.pgeventstore.adapters.http.ApiDocumentation;
import org.pgeventstore.adapters.http.ProblemResponses;

/**
 * What every command on an existing order answers, declared once for the OpenAPI document: the
 * order with its ETag, the problems of a JSON body ({@link ApiBodyProblems}) and those of a
 * command, beside the problems of every route ({@link org.pgeventstore.adapters.http.ApiProblems}).
 * The order's ETag header and the command headers' descriptions are here too, for the routes.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@ApiResponse(responseCode = "200", description = "The order", headers = {@Header(name = "ETag", description = OrderCommandResponses.ETAG,
        schema = @Schema(type = "string")),
            @Header(name = RequestMetadata.CORRELATION_ID, description = RequestMetadata.CORRELATION_ECHOED, schema = @Schema(type = "string"))}, content = @Content(schema = @Schema(implementation = OrderView.class)))
@ApiBodyProblems
@ApiResponse(responseCode = "409", description = "Not allowed in the order's status (invalid-transition), or the retries were exhausted",
        content = @Content(mediaType = ProblemResponses.PROBLEM_JSON, schema = @Schema(implementation = ApiDocumentation.ProblemDocument.class)),
        headers = @Header(name = RequestMetadata.CORRELATION_ID, description = RequestMetadata.CORRELATION_ECHOED, schema = @Schema(type = "string")))
@ApiResponse(responseCode = "412", description = "If-Match does not match the order's version",
        content = @Content(mediaType = ProblemResponses.PROBLEM_JSON, schema = @Schema(implementation = ApiDocumentation.ProblemDocument.class)),
        headers = @Header(name = RequestMetadata.CORRELATION_ID, description = RequestMetadata.CORRELATION_ECHOED, schema = @Schema(type = "string")))
@ApiResponse(responseCode = "404", description = "Unknown order",
        content = @Content(mediaType = ProblemResponses.PROBLEM_JSON, schema = @Schema(implementation = ApiDocumentation.ProblemDocument.class)),
        headers = @Header(name = RequestMetadata.CORRELATION_ID, description = RequestMetadata.CORRELATION_ECHOED, schema = @Schema(type = "string")))
@interface OrderCommandResponses {

    String ETAG = "The order's version, quoted";
    String IF_MATCH = "The order's ETag (or a list, or *): run only at that version";
    String IDEMPOTENCY_KEY = "1..255 characters: a repeat with the same key returns the first outcome";
}
