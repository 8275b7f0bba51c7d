package org.pgeventstore.adapters.http.admin;

import org.pgeventstore.adapters.http.RequestMetadata;
import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.pgeventstore.adapters.http.ApiBodyProblems;
import org.pgeventstore.adapters.http.ApiDocumentation;
import org.pgeventstore.adapters.http.ApiJson;
import org.pgeventstore.adapters.http.ApiProblem;
import org.pgeventstore.adapters.http.ApiProblems;
import org.pgeventstore.adapters.http.ProblemResponses;
import org.pgeventstore.adapters.http.security.Caller;
import org.pgeventstore.application.access.ApiKey;
import org.pgeventstore.application.access.ApiKeyService;
import org.pgeventstore.application.access.InvalidKeyRequest;
import org.pgeventstore.application.access.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** API keys: created (the secret shown once), listed without secrets, revoked. Admin only. */
@Controller("/api/admin/keys")
@ApiProblems
@Tag(name = "operations")
@ExecuteOn(TaskExecutors.BLOCKING)
public class KeysController {

    private static final Logger LOG = LoggerFactory.getLogger(KeysController.class);
    private static final Set<String> FIELDS = Set.of("name", "roles", "categories");

    private final ApiKeyService keys;

    public KeysController(ApiKeyService keys) {
        this.keys = keys;
    }

    @Schema(name = "ApiKey")
    record KeyView(UUID id, String name, List<String> roles, @Nullable List<String> categories, Instant createdAt,
                   String createdBy, @Nullable Instant revokedAt) {
        static KeyView of(ApiKey key) {
            return new KeyView(key.id(), key.name(), key.roles().stream().map(Role::inWords).sorted().toList(),
                    key.categories().map(c -> c.stream().sorted().toList()).orElse(null), key.createdAt(), key.createdBy(),
                    key.revokedAt().orElse(null));
        }
    }

    @Schema(name = "ApiKeyCreated")
    record CreatedView(UUID id, String name, List<String> roles, @Nullable List<String> categories, Instant createdAt,
                       @Schema(description = "The secret, shown only here") String key) {
    }

    @Operation(summary = "Create an API key; its secret is in this answer and nowhere else", operationId = "createKey",
            description = "Roles: read, write, admin, impersonate; categories limit the key to streams of those categories. Store the key: it cannot be shown again.")
    @RequestBody(content = @Content(schema = @Schema(implementation = KeyRequestDocument.class)))
    @ApiResponse(responseCode = "201", description = "Created", headers = {@Header(name = "Location",
            description = "The key", schema = @Schema(type = "string")),
            @Header(name = RequestMetadata.CORRELATION_ID, description = RequestMetadata.CORRELATION_ECHOED, schema = @Schema(type = "string"))}, content = @Content(schema = @Schema(
            implementation = CreatedView.class)))
    @ApiBodyProblems
    @Post
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public HttpResponse<String> create(@Body @Nullable byte[] body, HttpRequest<?> request) {
        JsonNode root = ApiJson.read(body);
        if (!root.isObject()) {
            throw ApiProblem.invalid(List.of(new ApiProblem.InvalidParam("body",
                    "must be a JSON object with name, roles and optionally categories")));
        }
        List<ApiProblem.InvalidParam> invalid = new ArrayList<>();
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                invalid.add(new ApiProblem.InvalidParam(ApiProblem.quoted(name), "is not a known field; known: "
                        + new TreeSet<>(FIELDS)));
            }
        }
        JsonNode name = root.get("name");
        if (name == null || !name.isTextual()) {
            invalid.add(new ApiProblem.InvalidParam("name", "is required: who or what uses the key"));
        }
        Optional<Set<String>> roles = strings(root.get("roles"), "roles", invalid);
        if (roles.isEmpty() && !invalid.stream().anyMatch(p -> p.name().equals("roles"))) {
            invalid.add(new ApiProblem.InvalidParam("roles", "is required: an array of read, write, admin, impersonate"));
        }
        Optional<Set<String>> categories = strings(root.get("categories"), "categories", invalid);
        if (!invalid.isEmpty()) {
            throw ApiProblem.invalid(invalid);
        }
        Caller caller = Caller.of(request);
        ApiKeyService.CreatedKey created;
        try {
            created = keys.create(name.textValue(), roles.orElseThrow(), categories, caller.principal());
        } catch (InvalidKeyRequest bad) {
            throw ApiProblem.invalid(List.of(new ApiProblem.InvalidParam(bad.field(), bad.reason())));
        }
        KeyView view = KeyView.of(created.key());
        LOG.info("event=api_key_created id={} name=\"{}\" roles={} categories={} by=\"{}\"", view.id(), view.name(),
                view.roles(), view.categories(), caller.principal());
        return HttpResponse.<String>status(HttpStatus.CREATED)
                .header("Location", "/api/admin/keys/" + view.id())
                .contentType(MediaType.APPLICATION_JSON_TYPE)
                .body(ApiJson.write(new CreatedView(view.id(), view.name(), view.roles(), view.categories(), view.createdAt(),
                        created.secret())));
    }

    @Operation(summary = "Every API key, revoked ones included, without secrets", operationId = "listKeys",
            description = "Newest first; a revoked key shows when and by whom.")
    @ApiResponse(responseCode = "200", description = "The keys", content = @Content(array = @ArraySchema(
            schema = @Schema(implementation = KeyView.class))),
        headers = @Header(name = RequestMetadata.CORRELATION_ID, description = RequestMetadata.CORRELATION_ECHOED, schema = @Schema(type = "string")))
    @Get
    @Produces(MediaType.APPLICATION_JSON)
    public HttpResponse<String> list() {
        return HttpResponse.ok(ApiJson.write(keys.list().stream().map(KeyView::of).toList()))
                .contentType(MediaType.APPLICATION_JSON_TYPE);
    }

    @Operation(summary = "Revoke an API key: refused on every instance within 2 s", operationId = "revokeKey",
            description = "The key stays listed as revoked; events it appended keep naming it.")
    @ApiResponse(responseCode = "204", description = "Revoked",
        headers = @Header(name = RequestMetadata.CORRELATION_ID, description = RequestMetadata.CORRELATION_ECHOED, schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "404", description = "No such key", content = @Content(mediaType = ProblemResponses.PROBLEM_JSON,
            schema = @Schema(implementation = ApiDocumentation.ProblemDocument.class)),
        headers = @Header(name = RequestMetadata.CORRELATION_ID, description = RequestMetadata.CORRELATION_ECHOED, schema = @Schema(type = "string")))
    @Delete("/{id}")
    public HttpResponse<String> revoke(@PathVariable String id, HttpRequest<?> request) {
        UUID keyId;
        try {
            keyId = UUID.fromString(id);
        } catch (IllegalArgumentException notUuid) {
            throw ApiProblem.badParameter("id", "a key id is a UUID; was " + ApiProblem.quoted(id));
        }
        Caller caller = Caller.of(request);
        ApiKey revoked = keys.revoke(keyId, caller.principal()).orElseThrow(() -> ApiProblem.of(HttpStatus.NOT_FOUND,
                "key-not-found", "No such key", "no API key " + keyId + "; GET /api/admin/keys lists them"));
        LOG.info("event=api_key_revoked id={} name=\"{}\" by=\"{}\"", revoked.id(), revoked.name(), caller.principal());
        return HttpResponse.noContent();
    }

    /** The body of a key's creation, for the OpenAPI document (read field by field above). */
    @Schema(name = "ApiKeyRequest")
    record KeyRequestDocument(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) String name,
                              @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "read, write, admin, "
                                      + "impersonate") List<String> roles,
                              @Nullable @Schema(description = "Only streams of these categories") List<String> categories) {
    }

    private static Optional<Set<String>> strings(JsonNode node, String field, List<ApiProblem.InvalidParam> invalid) {
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isArray()) {
            invalid.add(new ApiProblem.InvalidParam(field, "must be an array of strings"));
            return Optional.empty();
        }
        Set<String> values = new TreeSet<>();
        for (JsonNode value : node) {
            if (!value.isTextual()) {
                invalid.add(new ApiProblem.InvalidParam(field, "must be an array of strings"));
                return Optional.empty();
            }
            values.add(value.textValue());
        }
        return Optional.of(values);
    }
}
