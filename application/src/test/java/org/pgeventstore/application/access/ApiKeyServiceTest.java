package org.pgeventstore.application.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ApiKeyServiceTest {

    private final InMemoryApiKeys store = new InMemoryApiKeys(Clock.systemUTC());
    private final ApiKeyService keys = new ApiKeyService(store, Clock.systemUTC(), Duration.ofSeconds(1));

    @Test
    @DisplayName("a created key authenticates by its secret, which is shown once and kept only as a hash")
    void createAndAuthenticate() {
        var created = keys.create("indexer", Set.of("read"), Optional.of(Set.of("order")), "admin");
        assertThat(created.secret()).startsWith(ApiKeySecret.PREFIX).hasSize(ApiKeySecret.PREFIX.length() + 43);
        assertThat(keys.authenticate(created.secret())).contains(created.key());
        assertThat(keys.cached(created.secret())).contains(Optional.of(created.key()));
        assertThat(keys.authenticate(created.secret() + "a")).isEmpty();
        assertThat(store.list().toString()).doesNotContain(created.secret());
    }

    @Test
    @DisplayName("a revoked key stops working at once on the instance that revoked it")
    void revoke() {
        var created = keys.create("temp", Set.of("write"), Optional.empty(), "admin");
        assertThat(keys.authenticate(created.secret())).isPresent();
        keys.revoke(created.key().id(), "admin");
        assertThat(keys.authenticate(created.secret())).isEmpty();
    }

    @Test
    @DisplayName("a key revoked elsewhere stops working here once the cache time has passed")
    void revokedElsewhere() throws Exception {
        var here = new ApiKeyService(store, Clock.systemUTC(), Duration.ofMillis(100));
        var created = keys.create("shared", Set.of("read"), Optional.empty(), "admin");
        assertThat(here.authenticate(created.secret())).isPresent();
        store.revoke(created.key().id(), "elsewhere");
        Thread.sleep(150);
        assertThat(here.authenticate(created.secret())).isEmpty();
    }

    @Test
    @DisplayName("names, roles, categories and configured secrets are checked")
    void validation() {
        assertThatThrownBy(() -> keys.create("", Set.of("read"), Optional.empty(), "a"))
                .isInstanceOfSatisfying(InvalidKeyRequest.class, invalid -> assertThat(invalid.field()).isEqualTo("name"));
        assertThatThrownBy(() -> keys.create("x", Set.of(), Optional.empty(), "a"))
                .isInstanceOfSatisfying(InvalidKeyRequest.class, invalid -> assertThat(invalid.field()).isEqualTo("roles"));
        assertThatThrownBy(() -> keys.create("x", Set.of("root"), Optional.empty(), "a"))
                .isInstanceOfSatisfying(InvalidKeyRequest.class, invalid -> assertThat(invalid.reason()).contains("\"root\""));
        assertThatThrownBy(() -> keys.create("x", Set.of("read"), Optional.of(Set.of("order-1")), "a"))
                .isInstanceOfSatisfying(InvalidKeyRequest.class, invalid -> assertThat(invalid.field()).isEqualTo("categories"));
        assertThatThrownBy(() -> keys.create("x", Set.of("read"), Optional.of(Set.of()), "a"))
                .isInstanceOf(InvalidKeyRequest.class);
        assertThatThrownBy(() -> keys.createWithSecret("short", "x", Set.of("admin"), Optional.empty(), "a"))
                .isInstanceOfSatisfying(InvalidKeyRequest.class, invalid -> assertThat(invalid.field()).isEqualTo("key"));
        String secret = "a-configured-admin-key-of-enough-length";
        keys.createWithSecret(secret, "configured", Set.of("admin"), Optional.empty(), "config");
        assertThatThrownBy(() -> keys.createWithSecret(secret, "again", Set.of("admin"), Optional.empty(), "config"))
                .isInstanceOf(InvalidKeyRequest.class);
    }
}
