package org.pgeventstore.adapters.http.security;

import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import io.micronaut.context.env.Environment;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.token.Claims;
import io.micronaut.security.token.jwt.validator.GenericJwtClaimsValidator;
import jakarta.inject.Singleton;
import java.text.ParseException;

/**
 * A JWT is accepted only when an issuer's keys or a shared secret are configured, and only when it
 * is signed. Without this, a JWT with {@code "alg": "none"} would pass whenever no signature is
 * configured (an installation that uses API keys only): anyone could name their own roles.
 */
@Singleton
public class SignedTokensOnly implements GenericJwtClaimsValidator<HttpRequest<?>> {

    private static final String SIGNATURES = "micronaut.security.token.jwt.signatures";

    private final boolean configured;

    public SignedTokensOnly(Environment environment) {
        this.configured = !environment.getPropertyEntries(SIGNATURES).isEmpty();
    }

    @Override
    public boolean validate(Claims claims, HttpRequest<?> request) {
        if (!configured || request == null) {
            return false;
        }
        String header = request.getHeaders().get(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        try {
            JWT token = JWTParser.parse(header.substring(7).trim());
            return token instanceof SignedJWT;
        } catch (ParseException notAJwt) {
            return false;
        }
    }
}
