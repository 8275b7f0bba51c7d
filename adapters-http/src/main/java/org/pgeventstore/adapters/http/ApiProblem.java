package org.pgeventstore.adapters.http;

import io.swagger.v3.oas.annotations.media.Schema;
import io.micronaut.http.HttpStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A request the API refuses, as an RFC 9457 problem: {@code type} is
 * {@code /problems/<slug>}, {@code invalidParams} lists each offending field.
 */
public final class ApiProblem extends RuntimeException {

    /** One offending input: where it is ({@code events[2].eventId}) and what is wrong with it. */
    @Schema(name = "InvalidParam")
    public record InvalidParam(String name, String reason) {
    }

    private final HttpStatus status;
    private final String slug;
    private final String title;
    private final Map<String, Object> members;

    private ApiProblem(HttpStatus status, String slug, String title, String detail, Map<String, Object> members) {
        super(detail);
        this.status = status;
        this.slug = slug;
        this.title = title;
        this.members = members;
    }

    public static ApiProblem of(HttpStatus status, String slug, String title, String detail) {
        return new ApiProblem(status, slug, title, detail, Map.of());
    }

    public static ApiProblem withMembers(HttpStatus status, String slug, String title, String detail,
                                         Map<String, Object> members) {
        return new ApiProblem(status, slug, title, detail, new LinkedHashMap<>(members));
    }

    /** A well-formed request whose content breaks the rules: 422 with the offending fields. */
    public static ApiProblem invalid(List<InvalidParam> params) {
        String detail = params.stream().map(p -> p.name() + ": " + p.reason()).reduce((a, b) -> a + "; " + b).orElse("");
        return new ApiProblem(HttpStatus.UNPROCESSABLE_ENTITY, "validation-failed", "The request is not valid",
                detail, Map.of("invalidParams", List.copyOf(params)));
    }

    /** A query or path parameter that cannot be used: 400. */
    public static ApiProblem badParameter(String name, String reason) {
        return new ApiProblem(HttpStatus.BAD_REQUEST, "invalid-parameter", "A parameter is not valid",
                name + ": " + reason, Map.of("invalidParams", List.of(new InvalidParam(name, reason))));
    }

    /** An offending input as a problem's detail quotes it: at most 60 characters, "missing" for none. */
    public static String quoted(String input) {
        return input == null ? "missing" : input.length() <= 60 ? input : input.substring(0, 57) + "...";
    }

    public HttpStatus status() {
        return status;
    }

    public String slug() {
        return slug;
    }

    public String title() {
        return title;
    }

    public Map<String, Object> members() {
        return members;
    }
}
