package org.pgeventstore.adapters.http.security;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.security.authentication.AuthorizationException;
import io.micronaut.security.authentication.DefaultAuthorizationExceptionHandler;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import org.pgeventstore.adapters.http.ProblemResponses;
import org.pgeventstore.application.access.Role;

/**
 * A request refused by the security rules: 401 {@code /unauthenticated} with
 * {@code WWW-Authenticate: Bearer} when it has no valid token, 403 {@code /forbidden} naming the
 * roles it needed when its caller has none of them. A refused token counts against its address.
 */
@Singleton
@Produces
@Replaces(DefaultAuthorizationExceptionHandler.class)
public class AuthorizationProblemHandler implements ExceptionHandler<AuthorizationException, MutableHttpResponse<?>> {

    private final FailedAuthentications failures;

    public AuthorizationProblemHandler(FailedAuthentications failures) {
        this.failures = failures;
    }

    @Override
    public MutableHttpResponse<?> handle(HttpRequest request, AuthorizationException exception) {
        if (exception.isForbidden()) {
            List<String> needed = request.getAttribute(ApiAccessRule.REQUIRED_ROLES, List.class)
                    .map(roles -> ((List<?>) roles).stream().map(role -> ((Role) role).inWords()).toList())
                    .orElse(List.of(Role.ADMIN.inWords()));
            String principal = exception.getAuthentication() == null ? "the caller" : exception.getAuthentication().getName();
            return ProblemResponses.of(HttpStatus.FORBIDDEN, "forbidden", "Not allowed",
                    principal + " lacks the role this request needs: " + String.join(" or ", needed)
                            + " (admin may do everything)", Map.of("missingRoles", needed), request);
        }
        var unavailable = request.getAttribute(ApiKeyTokenValidator.KEYS_UNAVAILABLE, String.class);
        if (unavailable.isPresent()) {
            return ProblemResponses.of(HttpStatus.SERVICE_UNAVAILABLE, "database-unavailable", "The database is unavailable",
                            "the API key could not be checked: " + unavailable.get(), Map.of(), request)
                    .header("Retry-After", "2");
        }
        boolean presented = request.getHeaders().get(HttpHeaders.AUTHORIZATION) != null;
        if (presented) {
            failures.failed(ClientAddress.of(request));
        }
        return ProblemResponses.of(HttpStatus.UNAUTHORIZED, "unauthenticated", "Authentication required",
                        presented ? "the bearer token is not a valid API key or JWT (unknown, revoked, expired, or not "
                                + "signed by the configured issuer)"
                                : "send Authorization: Bearer <token>, an API key or a JWT from the configured issuer",
                        Map.of(), request)
                .header(HttpHeaders.WWW_AUTHENTICATE, presented ? "Bearer error=\"invalid_token\"" : "Bearer");
    }
}
