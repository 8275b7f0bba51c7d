package org.pgeventstore.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.pgeventstore.adapters.http.ApiClient;
import org.pgeventstore.adapters.postgres.PostgresTestDatabase;

/**
 * JWTs from an identity provider whose keys the service fetches from its JWKS URL, with a
 * configured issuer and audience; and a shared secret for simple setups. The provider is a JDK
 * HTTP server of the test's own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JwtAuthenticationTest {

    private static final String ISSUER = "https://idp.example.test";
    private static final String AUDIENCE = "pg-eventstore";
    private static final String SECRET = "a-shared-secret-of-at-least-thirty-two-bytes!";

    private HttpServer identityProvider;
    private RSAKey signingKey;
    private EmbeddedServer withJwks;
    private EmbeddedServer withSecret;
    private ApiClient api;

    @BeforeAll
    void start() throws Exception {
        signingKey = new RSAKeyGenerator(2048).keyID("key-1").generate();
        byte[] jwks = new JWKSet(signingKey.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        identityProvider = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        identityProvider.createContext("/jwks.json", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, jwks.length);
            exchange.getResponseBody().write(jwks);
            exchange.close();
        });
        identityProvider.start();

        Map<String, Object> jwksProperties = new HashMap<>(TestDatabaseProperties.of(PostgresTestDatabase.shared()));
        jwksProperties.putAll(JwtSettings.properties(Map.of(
                "EVENTSTORE_JWT_JWKS_URL", "http://127.0.0.1:" + identityProvider.getAddress().getPort() + "/jwks.json",
                "EVENTSTORE_JWT_ISSUER", ISSUER,
                "EVENTSTORE_JWT_AUDIENCE", AUDIENCE)::get));
        jwksProperties.put("micronaut.server.port", "-1");
        jwksProperties.put("eventstore.security.failed-authentications-per-minute", "1000");
        withJwks = ApplicationContext.run(EmbeddedServer.class, jwksProperties);
        api = new ApiClient(withJwks.getURI());

        Map<String, Object> secretProperties = new HashMap<>(TestDatabaseProperties.of(PostgresTestDatabase.shared()));
        secretProperties.putAll(JwtSettings.properties(Map.of("EVENTSTORE_JWT_SECRET", SECRET,
                "EVENTSTORE_JWT_ROLES_CLAIM", "groups")::get));
        secretProperties.put("micronaut.server.port", "-1");
        withSecret = ApplicationContext.run(EmbeddedServer.class, secretProperties);
    }

    @AfterAll
    void stop() {
        withJwks.close();
        withSecret.close();
        identityProvider.stop(0);
    }

    private static JWTClaimsSet.Builder claims(String subject, List<String> roles) {
        return new JWTClaimsSet.Builder().subject(subject).issuer(ISSUER).audience(AUDIENCE)
                .claim("roles", roles).expirationTime(Date.from(Instant.now().plusSeconds(300)))
                .issueTime(Date.from(Instant.now()));
    }

    private static String signed(RSAKey key, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
                .type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    @Test
    @DisplayName("a token of the issuer with role read reads but may not append; with write it appends as its subject")
    void goodTokens() throws Exception {
        ApiClient reader = api.withToken(signed(signingKey, claims("alice", List.of("read")).build()));
        assertThat(reader.get("/api/events?after=0&limit=1").status()).isEqualTo(200);
        reader.postJson("/api/streams/jwt-1/events", "{\"events\": [{\"type\": \"T\", \"data\": {}}]}")
                .assertProblem(403, "/forbidden");

        String stream = "/api/streams/jwt-" + UUID.randomUUID().toString().substring(0, 8);
        ApiClient writer = api.withToken(signed(signingKey, claims("svc-billing", List.of("write", "read")).build()));
        var appended = writer.postJson(stream + "/events", "{\"events\": [{\"type\": \"T\", \"data\": {}}]}");
        assertThat(appended.status()).as(appended.body()).isEqualTo(201);
        assertThat(writer.get(stream).json().get("events").get(0).get("metadata").get("userId").asText())
                .isEqualTo("svc-billing");
    }

    @Test
    @DisplayName("a token limited to categories by its claim sees only those")
    void categoriesClaim() throws Exception {
        ApiClient limited = api.withToken(signed(signingKey,
                claims("partner", List.of("read", "write")).claim("categories", List.of("partner")).build()));
        assertThat(limited.postJson("/api/streams/partner-1/events", "{\"events\": [{\"type\": \"T\", \"data\": {}}]}")
                .status()).isEqualTo(201);
        limited.get("/api/streams/jwt-1").assertProblem(403, "/forbidden");
    }

    @Test
    @DisplayName("expired, wrongly signed, for another audience or issuer, unsigned (alg none) or HMAC-forged: 401")
    void refusedTokens() throws Exception {
        RSAKey otherKey = new RSAKeyGenerator(2048).keyID("key-1").generate();
        Map<String, String> tokens = Map.of(
                "expired", signed(signingKey, claims("alice", List.of("admin"))
                        .expirationTime(Date.from(Instant.now().minusSeconds(60))).build()),
                "wrong signature", signed(otherKey, claims("alice", List.of("admin")).build()),
                "wrong audience", signed(signingKey, claims("alice", List.of("admin")).audience("someone-else").build()),
                "wrong issuer", signed(signingKey, claims("alice", List.of("admin")).issuer("https://evil.test").build()),
                "alg none", new PlainJWT(claims("alice", List.of("admin")).build()).serialize(),
                "HMAC with the public key's id", hmac(claims("alice", List.of("admin")).build(), SECRET));
        for (var token : tokens.entrySet()) {
            var reply = api.withToken(token.getValue()).get("/api/events?after=0&limit=1");
            assertThat(reply.status()).as(token.getKey()).isEqualTo(401);
            assertThat(reply.header("WWW-Authenticate")).as(token.getKey()).startsWith("Bearer");
        }
    }

    @Test
    @DisplayName("a shared secret: a token it signed is accepted, with roles from the configured claim; one it did not, refused")
    void sharedSecret() throws Exception {
        ApiClient client = new ApiClient(withSecret.getURI());
        JWTClaimsSet good = new JWTClaimsSet.Builder().subject("cron").claim("groups", List.of("read"))
                .expirationTime(Date.from(Instant.now().plusSeconds(300))).build();
        assertThat(client.withToken(hmac(good, SECRET)).get("/api/events?after=0&limit=1").status()).isEqualTo(200);
        assertThat(client.withToken(hmac(good, SECRET.replace('a', 'b'))).get("/api/events?after=0&limit=1").status())
                .isEqualTo(401);
        assertThat(client.withToken(new PlainJWT(good).serialize()).get("/api/events?after=0&limit=1").status())
                .isEqualTo(401);
    }

    private static String hmac(JWTClaimsSet claims, String secret) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("key-1").build(), claims);
        jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }
}
