package org.pgeventstore.adapters.http;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;

/** Renders RFC 9457 {@code application/problem+json} responses, the body of every API error. */
public final class ProblemResponses {

    public static final String PROBLEM_JSON = "application/problem+json";
    public static final String TYPE_PREFIX = "/problems/";

    private ProblemResponses() {
    }

    public static MutableHttpResponse<String> of(ApiProblem problem, HttpRequest<?> request) {
        return of(problem.status(), problem.slug(), problem.title(), problem.getMessage(), problem.members(), request);
    }

    public static MutableHttpResponse<String> of(HttpStatus status, String slug, String title, String detail,
                                                 Map<String, Object> members, HttpRequest<?> request) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", TYPE_PREFIX + slug);
        body.put("title", title);
        body.put("status", status.getCode());
        body.put("detail", detail);
        if (request != null) {
            body.put("instance", request.getPath());
        }
        body.putAll(members);
        return HttpResponse.<String>status(status).contentType(PROBLEM_JSON).body(ApiJson.write(body));
    }
}
