package org.pgeventstore.adapters.http;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.ApiOperation;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.Response;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.SimpleValidationReportFormat;
import com.atlassian.oai.validator.report.ValidationReport;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The OpenAPI document the service serves, as the judge of every answer a test receives: an
 * answer to an {@code /api/} route whose status, content type, body or own headers the document
 * does not describe fails the test that received it.
 *
 * <p>Stricter than the document read literally, on purpose: an object schema that lists its
 * properties and says nothing of others is read as admitting no others, so a field the service
 * sends but the document omits is caught too. Where the document allows more (an event's free-form
 * {@code data}, a problem's extension members) it says so with {@code additionalProperties}.
 *
 * <p>The validator does not read OpenAPI 3.0's usual way of saying a referenced object may be null,
 * {@code nullable: true} beside {@code allOf: [$ref]} (OAI/OpenAPI-Specification#1368): such a
 * schema is read as the referenced object itself, made nullable, which is what it says.
 */
public final class ApiContract {

    /** Where the build puts the document the service serves at {@code /swagger/pg-eventstore-0.1.yml}. */
    public static final String DOCUMENT = "META-INF/swagger/pg-eventstore-0.1.yml";

    /** The headers the service sets itself; each must be declared by the response that carries it. */
    private static final Set<String> OWN_HEADERS = Set.of("etag", "location", "retry-after", "x-correlation-id");

    private static final OpenApiInteractionValidator VALIDATOR = OpenApiInteractionValidator
            .createFor(strict(parse()))
            .withCustomResponseValidation(ApiContract::ownHeadersDeclared)
            .build();

    private ApiContract() {
    }

    /**
     * Fails with the validator's report when the answer to {@code method uri} breaks the document.
     * Routes outside {@code /api/} (health, metrics, the document itself) are not part of it.
     */
    public static void check(String method, URI uri, int status, String body, HttpHeaders headers) {
        check(method, uri, status, body, headers, false);
    }

    /**
     * The same for an answer whose body is a stream still arriving (Server-Sent Events): its status,
     * content type and headers.
     */
    public static void checkHead(String method, URI uri, int status, HttpHeaders headers) {
        check(method, uri, status, "", headers, true);
    }

    private static void check(String method, URI uri, int status, String body, HttpHeaders headers, boolean headOnly) {
        String path = uri.getRawPath();
        if (!path.startsWith("/api/")) {
            return;
        }
        var response = SimpleResponse.Builder.status(status).withBody(body);
        headers.map().forEach(response::withHeader);
        ValidationReport report = VALIDATOR.validateResponse(path, Request.Method.valueOf(method), response.build());
        List<ValidationReport.Message> errors = report.getMessages().stream()
                .filter(message -> message.getLevel() == ValidationReport.Level.ERROR)
                .filter(message -> !unknownRoute(message, status))
                .filter(message -> !(headOnly && message.getKey().equals("validation.response.body.missing")))
                .toList();
        if (!errors.isEmpty()) {
            throw new AssertionError("the answer to " + method + " " + uri + " (" + status + ") breaks the OpenAPI document:\n"
                    + SimpleValidationReportFormat.getInstance().apply(ValidationReport.from(errors)) + "\nbody: " + body);
        }
    }

    /** A route the API does not have answers 404, and a method a route does not take 405: no operation to judge. */
    private static boolean unknownRoute(ValidationReport.Message message, int status) {
        return (status == 404 && message.getKey().equals("validation.request.path.missing"))
                || (status == 405 && message.getKey().equals("validation.request.operation.notAllowed"));
    }

    private static ValidationReport ownHeadersDeclared(Response response, ApiOperation operation) {
        var declared = operation.getOperation().getResponses().get(String.valueOf(response.getStatus()));
        Set<String> names = declared == null || declared.getHeaders() == null ? Set.of()
                : declared.getHeaders().keySet().stream().map(name -> name.toLowerCase(Locale.ROOT))
                        .collect(java.util.stream.Collectors.toSet());
        List<ValidationReport.Message> undeclared = OWN_HEADERS.stream()
                .filter(name -> !response.getHeaderValues(name).isEmpty())
                .filter(name -> !names.contains(name))
                .map(name -> ValidationReport.Message.create("validation.response.header.undeclared",
                        "Header '" + name + "' is sent with " + response.getStatus() + " but not declared for it").build())
                .toList();
        return ValidationReport.from(undeclared);
    }

    private static OpenAPI parse() {
        try (InputStream in = ApiContract.class.getClassLoader().getResourceAsStream(DOCUMENT)) {
            if (in == null) {
                throw new IllegalStateException(DOCUMENT + " is not on the test class path: build adapters-http first");
            }
            var options = new ParseOptions();
            options.setResolve(true);
            var result = new OpenAPIV3Parser().readContents(new String(in.readAllBytes(), StandardCharsets.UTF_8), null, options);
            if (result.getOpenAPI() == null) {
                throw new IllegalStateException(DOCUMENT + " does not parse: " + result.getMessages());
            }
            return result.getOpenAPI();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every object schema that lists properties and is silent on others admits no others. */
    private static OpenAPI strict(OpenAPI api) {
        var seen = new IdentityHashMap<Schema<?>, Boolean>();
        Map<String, Schema> components = api.getComponents().getSchemas();
        components.values().forEach(schema -> close(schema, components, seen));
        return api;
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static void close(Schema schema, Map<String, Schema> components, Map<Schema<?>, Boolean> seen) {
        if (schema == null || seen.put(schema, Boolean.TRUE) != null) {
            return;
        }
        if (Boolean.TRUE.equals(schema.getNullable()) && schema.getAllOf() != null && schema.getAllOf().size() == 1
                && schema.getProperties() == null) {
            Schema referenced = (Schema) schema.getAllOf().getFirst();
            if (referenced.get$ref() != null) {
                referenced = components.get(referenced.get$ref().substring(referenced.get$ref().lastIndexOf('/') + 1));
            }
            schema.setAllOf(null);
            schema.setType(referenced.getType());
            schema.setProperties(referenced.getProperties());
            schema.setRequired(referenced.getRequired());
            schema.setAdditionalProperties(referenced.getAdditionalProperties());
        }
        Map<String, Schema> properties = schema.getProperties();
        if (properties != null && !properties.isEmpty() && schema.getAdditionalProperties() == null
                && schema.getAllOf() == null && schema.getOneOf() == null && schema.getAnyOf() == null) {
            schema.setAdditionalProperties(Boolean.FALSE);
        }
        if (properties != null) {
            properties.values().forEach(property -> close(property, components, seen));
        }
        close(schema.getItems(), components, seen);
        if (schema.getAdditionalProperties() instanceof Schema values) {
            close(values, components, seen);
        }
    }
}
