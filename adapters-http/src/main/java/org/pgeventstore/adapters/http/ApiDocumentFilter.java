package org.pgeventstore.adapters.http;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;

/**
 * Serves the OpenAPI document as {@code application/yaml} (RFC 9512), so that tools that pick a
 * parser by media type read it as what it is, rather than as the plain text a static file of
 * unknown extension becomes.
 */
@ServerFilter("/swagger/**")
public class ApiDocumentFilter {

    static final String YAML = "application/yaml";

    @ResponseFilter
    public void yaml(HttpRequest<?> request, MutableHttpResponse<?> response) {
        String path = request.getPath();
        if (response.code() == 200 && (path.endsWith(".yml") || path.endsWith(".yaml"))) {
            response.contentType(YAML);
        }
    }
}
