package org.pgeventstore.bootstrap;

import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.context.ApplicationContextConfigurer;
import io.micronaut.context.annotation.ContextConfigurer;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Turns the service's own JWT settings into micronaut-security's, before the application starts:
 * {@code EVENTSTORE_JWT_JWKS_URL} (the identity provider's key set) or {@code EVENTSTORE_JWT_SECRET}
 * (a shared HMAC secret, at least 32 bytes, for simple setups), {@code EVENTSTORE_JWT_ISSUER},
 * {@code EVENTSTORE_JWT_AUDIENCE}, and {@code EVENTSTORE_JWT_ROLES_CLAIM} (default {@code roles}),
 * from the environment or as system properties ({@code -Deventstore.jwt.issuer=...}). Without a
 * key set or a secret, no JWT is accepted.
 */
@ContextConfigurer
public final class JwtSettings implements ApplicationContextConfigurer {

    static final String SIGNATURES = "micronaut.security.token.jwt.signatures";

    @Override
    public void configure(ApplicationContextBuilder builder) {
        builder.properties(properties(JwtSettings::setting));
    }

    /** The micronaut-security properties the settings {@code lookup} finds ask for. */
    static Map<String, Object> properties(Function<String, String> lookup) {
        Map<String, Object> properties = new HashMap<>();
        String jwks = lookup.apply("EVENTSTORE_JWT_JWKS_URL");
        String secret = lookup.apply("EVENTSTORE_JWT_SECRET");
        if (jwks != null) {
            properties.put(SIGNATURES + ".jwks.identity-provider.url", jwks);
        }
        if (secret != null) {
            properties.put(SIGNATURES + ".secret.shared.secret", secret);
            properties.put(SIGNATURES + ".secret.shared.jws-algorithm", "HS256");
        }
        String issuer = lookup.apply("EVENTSTORE_JWT_ISSUER");
        if (issuer != null) {
            properties.put("micronaut.security.token.jwt.claims-validators.issuer", issuer);
        }
        String audience = lookup.apply("EVENTSTORE_JWT_AUDIENCE");
        if (audience != null) {
            properties.put("micronaut.security.token.jwt.claims-validators.audience", audience);
        }
        String roles = lookup.apply("EVENTSTORE_JWT_ROLES_CLAIM");
        if (roles != null) {
            properties.put("micronaut.security.token.roles-name", roles);
        }
        return properties;
    }

    /** {@code EVENTSTORE_JWT_ISSUER} from the environment, or {@code eventstore.jwt.issuer} as a system property. */
    private static String setting(String variable) {
        String property = variable.toLowerCase(java.util.Locale.ROOT).replace("eventstore_jwt_", "eventstore.jwt.")
                .replace('_', '-');
        String value = System.getProperty(property, System.getenv(variable));
        return value == null || value.isBlank() ? null : value;
    }
}
