package org.pgeventstore.adapters.http.security;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import java.time.Duration;
import java.util.Map;
import org.pgeventstore.adapters.http.ProblemResponses;

/** Refuses, with 429 and {@code Retry-After}, API requests from an address that failed to authenticate too often. */
@ServerFilter("/api/**")
public class AuthenticationRateLimitFilter implements Ordered {

    private final FailedAuthentications failures;

    public AuthenticationRateLimitFilter(FailedAuthentications failures) {
        this.failures = failures;
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.before();
    }

    @RequestFilter
    @Nullable
    public HttpResponse<?> limit(HttpRequest<?> request) {
        Duration wait = failures.waitFor(ClientAddress.of(request));
        if (wait.isZero()) {
            return null;
        }
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        return ProblemResponses.of(HttpStatus.TOO_MANY_REQUESTS, "too-many-failed-authentications",
                        "Too many failed authentications",
                        "this address presented too many tokens that are not valid; try again in " + seconds
                                + " s with a valid token", Map.of(), request)
                .header("Retry-After", Long.toString(seconds));
    }
}
