package org.pgeventstore.application.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The {@link ApiKeys} contract, run against every adapter. */
public abstract class ApiKeysContract {

    protected abstract ApiKeys keys();

    private ApiKey key(String name, Set<Role> roles, Optional<Set<String>> categories) {
        return new ApiKey(UUID.randomUUID(), name, roles, categories, Instant.now().truncatedTo(ChronoUnit.MICROS),
                "tester", Optional.empty());
    }

    @Test
    @DisplayName("a key is found by the hash of its secret with its roles and categories, and listed; the secret is not kept")
    void addFindList() {
        String secret = ApiKeySecret.generate();
        ApiKey key = key("billing-" + UUID.randomUUID(), Set.of(Role.READ, Role.WRITE), Optional.of(Set.of("payment", "invoice")));
        keys().add(key, ApiKeySecret.hash(secret));

        assertThat(keys().findBySecretHash(ApiKeySecret.hash(secret))).contains(key);
        assertThat(keys().findBySecretHash(ApiKeySecret.hash(secret + "x"))).isEmpty();
        assertThat(keys().list()).contains(key);
        assertThat(keys().any()).isTrue();
    }

    @Test
    @DisplayName("a key for every category has no category list")
    void allCategories() {
        String secret = ApiKeySecret.generate();
        ApiKey key = key("ops-" + UUID.randomUUID(), Set.of(Role.ADMIN), Optional.empty());
        keys().add(key, ApiKeySecret.hash(secret));
        assertThat(keys().findBySecretHash(ApiKeySecret.hash(secret)).orElseThrow().categories()).isEmpty();
    }

    @Test
    @DisplayName("revoking keeps the key, marked revoked, and revoking twice keeps the first time")
    void revoke() throws Exception {
        String secret = ApiKeySecret.generate();
        ApiKey key = key("gone-" + UUID.randomUUID(), Set.of(Role.READ), Optional.empty());
        keys().add(key, ApiKeySecret.hash(secret));

        ApiKey revoked = keys().revoke(key.id(), "admin").orElseThrow();
        assertThat(revoked.active()).isFalse();
        Thread.sleep(Duration.ofMillis(5));
        assertThat(keys().revoke(key.id(), "someone else").orElseThrow().revokedAt()).isEqualTo(revoked.revokedAt());
        assertThat(keys().findBySecretHash(ApiKeySecret.hash(secret)).orElseThrow().active()).isFalse();
        assertThat(keys().revoke(UUID.randomUUID(), "admin")).isEmpty();
    }

    @Test
    @DisplayName("two keys with one secret cannot both be stored")
    void secretsAreUnique() {
        String secret = ApiKeySecret.generate();
        keys().add(key("first-" + UUID.randomUUID(), Set.of(Role.READ), Optional.empty()), ApiKeySecret.hash(secret));
        assertThatThrownBy(() -> keys().add(key("second-" + UUID.randomUUID(), Set.of(Role.READ), Optional.empty()),
                ApiKeySecret.hash(secret))).isInstanceOf(RuntimeException.class);
    }
}
