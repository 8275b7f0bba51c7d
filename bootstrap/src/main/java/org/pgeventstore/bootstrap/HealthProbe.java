package org.pgeventstore.bootstrap;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A health check for images without a shell or curl (the service's image is distroless): GETs one
 * probe URL and exits 0 when it answers 200, else 1, printing what it saw. It loads nothing but the
 * JDK, so it starts in well under a second beside a running service:
 * {@code java -cp /app/classes org.pgeventstore.bootstrap.HealthProbe http://localhost:8080/health/readiness}.
 */
public final class HealthProbe {

    static final URI DEFAULT = URI.create("http://localhost:8080/health/readiness");
    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private HealthProbe() {
    }

    public static void main(String[] args) {
        URI target = args.length > 0 ? URI.create(args[0]) : DEFAULT;
        Result result = probe(target);
        System.out.println(result.message());
        System.exit(result.healthy() ? 0 : 1);
    }

    /** What the probe saw: healthy only for a 200. */
    record Result(boolean healthy, String message) {
    }

    static Result probe(URI target) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
        HttpRequest request = HttpRequest.newBuilder(target).timeout(TIMEOUT).GET().build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Result(response.statusCode() == 200, target + " " + response.statusCode() + " " + response.body());
        } catch (IOException e) {
            return new Result(false, target + " no answer: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(false, target + " interrupted");
        }
    }
}
