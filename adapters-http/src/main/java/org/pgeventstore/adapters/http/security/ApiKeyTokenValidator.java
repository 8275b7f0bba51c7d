package org.pgeventstore.adapters.http.security;

import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpRequest;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.token.validator.TokenValidator;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import org.pgeventstore.application.access.ApiKey;
import org.pgeventstore.application.access.ApiKeySecret;
import org.pgeventstore.application.access.ApiKeyService;
import org.pgeventstore.application.access.Role;
import org.pgeventstore.application.eventstore.EventStoreUnavailable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Bearer tokens that are API keys of this service ({@code pges_...}). A key known to the cache is
 * checked on the event loop in microseconds; otherwise the store is read on the blocking pool, for
 * at most a second: a database that does not answer leaves what was last known of the key standing,
 * or, for a key never seen, a 503. Any other token is left to the next validator (JWT).
 */
@Singleton
public class ApiKeyTokenValidator implements TokenValidator<HttpRequest<?>> {

    /** Request attribute: the key could not be checked because the database is unavailable. */
    public static final String KEYS_UNAVAILABLE = ApiKeyTokenValidator.class.getName() + ".unavailable";

    /** How long a request waits for the store to check a key the cache no longer vouches for. */
    private static final Duration STORE_WAIT = Duration.ofSeconds(1);

    private final ApiKeyService keys;
    private final ExecutorService blocking;

    public ApiKeyTokenValidator(ApiKeyService keys, @Named(TaskExecutors.BLOCKING) ExecutorService blocking) {
        this.keys = keys;
        this.blocking = blocking;
    }

    /** Before the JWT validator, which checks every token on another thread: an API key is answered here, at once. */
    @Override
    public int getOrder() {
        return HIGHEST_PRECEDENCE;
    }

    @Override
    public Publisher<Authentication> validateToken(String token, HttpRequest<?> request) {
        if (token == null || !ApiKeySecret.looksLikeKey(token)) {
            return Publishers.empty();
        }
        Optional<Optional<ApiKey>> cached = keys.cached(token);
        if (cached.isPresent()) {
            return cached.get().map(ApiKeyTokenValidator::authentication).map(Publishers::just).orElseGet(Publishers::empty);
        }
        return Mono.fromCallable(() -> check(token, request))
                .subscribeOn(Schedulers.fromExecutorService(blocking))
                .timeout(STORE_WAIT, Mono.defer(() -> lastKnown(token, request)));
    }

    /** The store did not answer within {@link #STORE_WAIT}: what was last known of the key stands, else a 503. */
    private Mono<Authentication> lastKnown(String token, HttpRequest<?> request) {
        Optional<Optional<ApiKey>> known = keys.lastKnown(token);
        if (known.isEmpty()) {
            if (request != null) {
                request.setAttribute(KEYS_UNAVAILABLE, "the database did not answer within " + STORE_WAIT.toMillis() + " ms");
            }
            return Mono.empty();
        }
        return Mono.justOrEmpty(known.get().map(ApiKeyTokenValidator::authentication));
    }

    /** The key's authentication, or null; when the keys cannot be read, the request is marked for a 503. */
    private Authentication check(String token, HttpRequest<?> request) {
        try {
            return keys.authenticate(token).map(ApiKeyTokenValidator::authentication).orElse(null);
        } catch (EventStoreUnavailable unavailable) {
            if (request != null) {
                request.setAttribute(KEYS_UNAVAILABLE, unavailable.getMessage());
            }
            return null;
        }
    }

    static Authentication authentication(ApiKey key) {
        Map<String, Object> attributes = new HashMap<>();
        attributes.put("keyId", key.id().toString());
        key.categories().ifPresent(categories -> attributes.put(Caller.CATEGORIES, List.copyOf(categories)));
        return Authentication.build(key.name(), key.roles().stream().map(Role::inWords).toList(), attributes);
    }
}
