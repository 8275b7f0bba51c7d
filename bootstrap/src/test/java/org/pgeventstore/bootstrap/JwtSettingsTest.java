package org.pgeventstore.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class JwtSettingsTest {

    @Test
    @DisplayName("the service's JWT settings become micronaut-security's; without them nothing is configured")
    void mapping() {
        assertThat(JwtSettings.properties(Map.<String, String>of()::get)).isEmpty();
        Map<String, Object> all = JwtSettings.properties(Map.of(
                "EVENTSTORE_JWT_JWKS_URL", "https://idp/jwks", "EVENTSTORE_JWT_SECRET", "s",
                "EVENTSTORE_JWT_ISSUER", "https://idp", "EVENTSTORE_JWT_AUDIENCE", "es",
                "EVENTSTORE_JWT_ROLES_CLAIM", "groups")::get);
        assertThat(all).containsEntry("micronaut.security.token.jwt.signatures.jwks.identity-provider.url", "https://idp/jwks")
                .containsEntry("micronaut.security.token.jwt.signatures.secret.shared.secret", "s")
                .containsEntry("micronaut.security.token.jwt.claims-validators.issuer", "https://idp")
                .containsEntry("micronaut.security.token.jwt.claims-validators.audience", "es")
                .containsEntry("micronaut.security.token.roles-name", "groups");
    }
}
