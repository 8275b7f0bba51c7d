package org.pgeventstore.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pgeventstore.adapters.http.ApiClient;
import org.pgeventstore.adapters.postgres.PostgresTestDatabase;
import org.pgeventstore.adapters.postgres.ScratchDatabase;
import org.slf4j.LoggerFactory;

/**
 * Keys across instances and first starts, each on a database of its own: revocation reaching a
 * second instance, the initial admin key file, and the limit on failed authentications.
 */
class KeyLifecycleTest {

    private static Map<String, Object> properties(ScratchDatabase database) {
        var server = PostgresTestDatabase.shared();
        Map<String, Object> properties = new HashMap<>();
        properties.put("datasources.default.url", database.jdbcUrl());
        properties.put("datasources.default.username", server.username());
        properties.put("datasources.default.password", server.password());
        properties.put("micronaut.server.port", "-1");
        properties.put("eventstore.projections.enabled", "false");
        return properties;
    }

    @Test
    @DisplayName("a key revoked on one instance is refused by another on the same database within 2 s")
    void revocationAcrossInstances() throws Exception {
        try (var database = ScratchDatabase.create("revocation")) {
            Map<String, Object> settings = properties(database);
            settings.put("eventstore.admin-key", ApiClient.TEST_ADMIN_KEY);
            try (EmbeddedServer first = ApplicationContext.run(EmbeddedServer.class, settings);
                 EmbeddedServer second = ApplicationContext.run(EmbeddedServer.class, settings)) {
                var created = new ApiClient(first.getURI()).postJson("/api/admin/keys",
                        "{\"name\": \"roaming\", \"roles\": [\"read\"]}");
                assertThat(created.status()).as(created.body()).isEqualTo(201);
                ApiClient onSecond = new ApiClient(second.getURI()).withToken(created.json().get("key").asText());
                assertThat(onSecond.get("/api/events?after=0&limit=1").status()).isEqualTo(200);

                Instant revoked = Instant.now();
                assertThat(new ApiClient(first.getURI()).delete("/api/admin/keys/" + created.json().get("id").asText())
                        .status()).isEqualTo(204);
                while (onSecond.get("/api/events?after=0&limit=1").status() == 200) {
                    assertThat(Duration.between(revoked, Instant.now())).as("refused on the second instance within 2 s")
                            .isLessThan(Duration.ofSeconds(2));
                    Thread.sleep(20);
                }
                onSecond.get("/api/events?after=0&limit=1").assertProblem(401, "/unauthenticated");
            }
        }
    }

    @Test
    @DisplayName("the first start with no key and no JWT issuer writes an admin key to a 0600 file, logs where, not the secret")
    void initialAdminKey(@TempDir Path directory) throws Exception {
        Path file = directory.resolve("data/initial-admin-key");
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        ((Logger) LoggerFactory.getLogger(InitialAdminKey.class)).addAppender(logs);
        try (var database = ScratchDatabase.create("initial_key")) {
            Map<String, Object> settings = properties(database);
            settings.put("eventstore.admin-key", "");
            settings.put("eventstore.initial-admin-key-file", file.toString());
            String secret;
            try (EmbeddedServer service = ApplicationContext.run(EmbeddedServer.class, settings)) {
                assertThat(file).exists();
                assertThat(Files.getPosixFilePermissions(file))
                        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
                secret = Files.readString(file).strip();
                ApiClient admin = new ApiClient(service.getURI()).withToken(secret);
                assertThat(admin.get("/api/admin/keys").status()).isEqualTo(200);
                assertThat(admin.postJson("/api/streams/first-1/events", "{\"events\": [{\"type\": \"T\", \"data\": {}}]}")
                        .status()).isEqualTo(201);
            }
            String logged = String.join("\n", logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList());
            assertThat(logged).contains("event=initial_admin_key_created").contains(file.toString()).doesNotContain(secret);

            Files.delete(file);
            try (EmbeddedServer again = ApplicationContext.run(EmbeddedServer.class, settings)) {
                assertThat(file).as("a key exists, so no second one is made").doesNotExist();
                assertThat(new ApiClient(again.getURI()).withToken(secret).get("/api/admin/keys").status()).isEqualTo(200);
            }
        } finally {
            ((Logger) LoggerFactory.getLogger(InitialAdminKey.class)).detachAppender(logs);
        }
    }

    @Test
    @DisplayName("an address that keeps presenting invalid tokens gets 429 with Retry-After, and the failures are counted")
    void failedAuthenticationsAreLimited() throws Exception {
        try (var database = ScratchDatabase.create("auth_limit")) {
            Map<String, Object> settings = properties(database);
            settings.put("eventstore.admin-key", ApiClient.TEST_ADMIN_KEY);
            settings.put("eventstore.security.failed-authentications-per-minute", "5");
            try (EmbeddedServer service = ApplicationContext.run(EmbeddedServer.class, settings)) {
                ApiClient guesser = new ApiClient(service.getURI()).withToken("pges_guess-" + "x".repeat(40));
                for (int i = 0; i < 5; i++) {
                    guesser.get("/api/events?after=0").assertProblem(401, "/unauthenticated");
                }
                var limited = guesser.get("/api/events?after=0");
                limited.assertProblem(429, "/too-many-failed-authentications");
                assertThat(Integer.parseInt(limited.header("Retry-After"))).isBetween(1, 60);
                new ApiClient(service.getURI()).get("/api/events?after=0").assertProblem(429, "/too-many-failed-authentications");
                assertThat(new ApiClient(service.getURI()).anonymous().get("/prometheus").body())
                        .containsPattern("eventstore_auth_failures_total\\{reason=\"invalid-token\",?\\} 5\\.0")
                        .containsPattern("eventstore_auth_failures_total\\{reason=\"rate-limited\",?\\} [1-9]");
            }
        }
    }
}
