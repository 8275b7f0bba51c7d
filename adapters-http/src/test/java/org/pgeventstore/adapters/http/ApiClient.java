package org.pgeventstore.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A plain HTTP client for tests that need exact control of bytes and headers. It sends
 * {@link #TEST_ADMIN_KEY} as its bearer token unless made with another token or none, and holds
 * every answer to the OpenAPI document ({@link ApiContract}): an answer the document does not
 * describe fails the test that received it.
 */
public final class ApiClient {

    /** The admin key the test configurations give the service ({@code eventstore.admin-key}). */
    public static final String TEST_ADMIN_KEY = "pges_test-admin-key-for-the-test-suites-only-0001";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;
    private final String token;

    public ApiClient(URI base) {
        this(base, TEST_ADMIN_KEY);
    }

    private ApiClient(URI base, String token) {
        this.base = base;
        this.token = token;
    }

    /** The same service, with {@code token} as the bearer token. */
    public ApiClient withToken(String token) {
        return new ApiClient(base, token);
    }

    /** The same service, without an Authorization header. */
    public ApiClient anonymous() {
        return new ApiClient(base, null);
    }

    /**
     * No response came: the connection was refused or reset, or the answer took too long. Unlike
     * any status, this says nothing of whether the request took effect. An {@link AssertionError},
     * so that it fails a test unless the test expects it.
     */
    public static final class NoResponse extends AssertionError {
        NoResponse(String message, IOException cause) {
            super(message, cause);
        }
    }

    /** A response with its body parsed when it is JSON. */
    public record Reply(int status, String contentType, String body, java.net.http.HttpHeaders headers) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        /** This reply is a problem+json of {@code status} whose type ends with {@code typeSuffix}. */
        public void assertProblem(int status, String typeSuffix) {
            assertThat(status()).as(body()).isEqualTo(status);
            assertThat(contentType()).startsWith("application/problem+json");
            assertThat(json().get("type").asText()).endsWith(typeSuffix);
        }
    }

    public Reply get(String path, String... headers) {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET(), headers);
    }

    public Reply post(String path, String contentType, String body, String... headers) {
        var builder = HttpRequest.newBuilder(base.resolve(path)).POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            builder.header("Content-Type", contentType);
        }
        return send(builder, headers);
    }

    public Reply postBytes(String path, String contentType, byte[] body, String... headers) {
        var builder = HttpRequest.newBuilder(base.resolve(path)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        builder.header("Content-Type", contentType);
        return send(builder, headers);
    }

    public Reply postJson(String path, String body, String... headers) {
        return post(path, "application/json", body, headers);
    }

    public Reply putJson(String path, String body, String... headers) {
        return send(HttpRequest.newBuilder(base.resolve(path)).PUT(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json"), headers);
    }

    public Reply delete(String path, String... headers) {
        return send(HttpRequest.newBuilder(base.resolve(path)).DELETE(), headers);
    }

    private Reply send(HttpRequest.Builder builder, String... headers) {
        boolean authorization = false;
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
            authorization |= headers[i].equalsIgnoreCase("Authorization");
        }
        if (token != null && !authorization) {
            builder.header("Authorization", "Bearer " + token);
        }
        try {
            HttpRequest request = builder.timeout(Duration.ofSeconds(30)).build();
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            ApiContract.check(request.method(), request.uri(), response.statusCode(), response.body(), response.headers());
            return new Reply(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    response.body(), response.headers());
        } catch (IOException e) {
            throw new NoResponse("request failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
