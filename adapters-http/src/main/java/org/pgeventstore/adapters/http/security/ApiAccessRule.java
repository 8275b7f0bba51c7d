package org.pgeventstore.adapters.http.security;

import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.security.rules.SecurityRuleResult;
import jakarta.inject.Singleton;
import java.util.List;
import org.pgeventstore.application.access.Role;
import org.reactivestreams.Publisher;

/**
 * Which role each route needs, in one table. Everything under {@code /api} needs a caller; the
 * health checks, the metrics, the API's documentation and the event browser's static files stay open. {@link Role#ADMIN} may do
 * everything; the other roles only what the table gives them. A rejected request keeps the roles
 * it needed in {@link #REQUIRED_ROLES}, for the 403 to name them.
 */
@Singleton
public class ApiAccessRule implements SecurityRule<HttpRequest<?>> {

    /** Request attribute: the roles, any one of which the request needed. */
    public static final String REQUIRED_ROLES = ApiAccessRule.class.getName() + ".required";

    // The event browser's page and script hold no data: every call it makes to /api carries the key.
    private static final List<String> OPEN = List.of("/health", "/prometheus", "/swagger", "/swagger-ui", "/ui");

    @Override
    public int getOrder() {
        return -1_000;
    }

    @Override
    public Publisher<SecurityRuleResult> check(HttpRequest<?> request, Authentication authentication) {
        String path = request.getPath();
        if (OPEN.stream().anyMatch(open -> path.equals(open) || path.startsWith(open + "/"))) {
            return Publishers.just(SecurityRuleResult.ALLOWED);
        }
        if (!path.equals("/api") && !path.startsWith("/api/")) {
            return Publishers.just(SecurityRuleResult.UNKNOWN);
        }
        List<Role> required = required(request.getMethod(), path);
        request.setAttribute(REQUIRED_ROLES, required);
        if (authentication == null) {
            return Publishers.just(SecurityRuleResult.REJECTED);
        }
        Caller caller = Caller.of(authentication);
        return Publishers.just(required.stream().anyMatch(caller::has) ? SecurityRuleResult.ALLOWED : SecurityRuleResult.REJECTED);
    }

    /** The roles, any one of which a request needs. */
    static List<Role> required(HttpMethod method, String path) {
        if (path.startsWith("/api/admin")) {
            return List.of(Role.ADMIN);
        }
        if (method == HttpMethod.GET || method == HttpMethod.HEAD) {
            return List.of(Role.READ);
        }
        // Acknowledging is part of consuming: whoever may poll a subscription may move its checkpoint.
        if (method == HttpMethod.POST && path.startsWith("/api/subscriptions/") && path.endsWith("/ack")) {
            return List.of(Role.READ);
        }
        if (method == HttpMethod.POST && (path.startsWith("/api/streams/") || path.equals("/api/orders")
                || path.startsWith("/api/orders/"))) {
            return List.of(Role.WRITE);
        }
        return List.of(Role.ADMIN);
    }
}
