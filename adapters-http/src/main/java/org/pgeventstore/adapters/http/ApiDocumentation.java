package org.pgeventstore.adapters.http;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Contact;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.info.License;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.servers.Server;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;

/**
 * The OpenAPI document's header, and the shapes of bodies that the controllers read and
 * write as raw JSON (so that each defect can be named), declared here for the document.
 * The service serves it at {@code /swagger/pg-eventstore-0.1.yml} and a browsable page at
 * {@code /swagger-ui/}.
 */
@OpenAPIDefinition(
        info = @Info(title = "pg-eventstore", version = "0.1",
                description = "An event store on PostgreSQL: streams with optimistic concurrency, a gap-free global "
                        + "feed, and the command API of the Order aggregate. Every error is application/problem+json.",
                license = @License(name = "Apache-2.0", url = "https://www.apache.org/licenses/LICENSE-2.0"),
                contact = @Contact(name = "pg-eventstore maintainers")),
        servers = @Server(url = "/", description = "The service that serves this document"),
        tags = {
                @Tag(name = "streams", description = "The generic event store"),
                @Tag(name = "orders", description = "The Order aggregate's commands and temporal reads"),
                @Tag(name = "projections", description = "Read models kept from the feed: status, parked streams, rebuilds"),
                @Tag(name = "operations", description = "API keys and the store's statistics"),
                @Tag(name = "subscriptions", description = "Durable consumer groups: long polls and acknowledgements")})
public final class ApiDocumentation {

    private ApiDocumentation() {
    }

    @Schema(name = "NewEvent")
    public record NewEventDocument(
            @Schema(description = "A UUID; send one to make re-sends safe", format = "uuid", nullable = true) String eventId,
            @Schema(description = "1..200 characters of A-Z a-z 0-9 _ . : -", requiredMode = Schema.RequiredMode.REQUIRED)
            String type,
            @Schema(description = "The version of the data's shape for its type (default 1)", minimum = "1",
                    nullable = true) Integer schemaVersion,
            @Schema(description = "A JSON object, at most 1 MiB", requiredMode = Schema.RequiredMode.REQUIRED,
                    type = "object", additionalProperties = Schema.AdditionalPropertiesValue.TRUE) Object data,
            @Schema(description = "A JSON object; correlationId, causationId and userId are set from the request headers",
                    nullable = true, type = "object", additionalProperties = Schema.AdditionalPropertiesValue.TRUE)
            Object metadata) {
    }

    @Schema(name = "AppendRequest")
    public record AppendRequestDocument(
            @Schema(description = "A whole number N (the stream must be at N; 0: must not exist), \"any\" (the default) "
                    + "or \"exists\"", oneOf = {ExpectedVersionNumber.class, ExpectedVersionWord.class})
            Object expectedVersion,
            @Schema(description = "1..1000 events", requiredMode = Schema.RequiredMode.REQUIRED)
            List<NewEventDocument> events) {
    }

    /** An expected version as a number. */
    @Schema(name = "ExpectedVersionNumber", type = "integer", format = "int64", minimum = "0")
    public static final class ExpectedVersionNumber {
        private ExpectedVersionNumber() {
        }
    }

    /** An expected version as a word. */
    @Schema(name = "ExpectedVersionWord", type = "string", allowableValues = {"any", "exists"})
    public static final class ExpectedVersionWord {
        private ExpectedVersionWord() {
        }
    }

    @Schema(name = "Event")
    public record EventDocument(@Schema(format = "uuid") String eventId, String streamId, String type, int schemaVersion,
                                long version,
                                @Schema(description = "Unique, increasing in feed order, not dense") long position,
                                @Schema(description = "The event's data, a JSON object", type = "object",
                                        additionalProperties = Schema.AdditionalPropertiesValue.TRUE) Object data,
                                @Schema(description = "The event's metadata, a JSON object", type = "object",
                                        additionalProperties = Schema.AdditionalPropertiesValue.TRUE) Object metadata,
                                @Schema(format = "date-time") String occurredAt) {
    }

    @Schema(name = "StreamSlice")
    public record StreamDocument(String streamId, long version, List<EventDocument> events) {
    }

    @Schema(name = "StreamSummary")
    public record StreamSummaryDocument(String streamId, String category,
                                        @Schema(description = "The version of its last event") long version,
                                        @Schema(description = "The position of its last event") long lastPosition,
                                        @Schema(description = "When its last event was appended", format = "date-time")
                                        String updatedAt) {
    }

    @Schema(name = "StreamList")
    public record StreamListDocument(List<StreamSummaryDocument> streams,
                                     @Schema(description = "Pass as after for the next page; null on the last page",
                                             nullable = true) String next) {
    }

    @Schema(name = "FeedPage")
    public record FeedDocument(List<EventDocument> events,
                               @Schema(description = "Pass as after for the next page") long next) {
    }

    @Schema(name = "AppendResult")
    public record AppendResultDocument(String streamId, long firstVersion, long lastVersion, long firstPosition,
                                       long lastPosition) {
    }

    @Schema(name = "Problem", description = "RFC 9457 problem details; extension members depend on the type "
            + "(invalidParams, expectedVersion, actualVersion, orderStatus, ...)",
            additionalProperties = Schema.AdditionalPropertiesValue.TRUE)
    public record ProblemDocument(
            @Schema(description = "/problems/<kind>, e.g. /problems/concurrency-conflict") String type,
            String title, int status, String detail, String instance,
            @Schema(nullable = true) List<ApiProblem.InvalidParam> invalidParams) {
    }
}
