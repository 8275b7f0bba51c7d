package org.pgeventstore.bootstrap;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.env.Environment;
import io.micronaut.core.annotation.Nullable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;
import org.pgeventstore.application.access.ApiKeySecret;
import org.pgeventstore.application.access.ApiKeyService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first key, so that a new installation can be used at all. With {@code EVENTSTORE_ADMIN_KEY}
 * set, that secret is an admin key (created the first time it is seen). Otherwise, on a first
 * start with no key and no JWT issuer, an admin key is created and written to
 * {@code ./data/initial-admin-key} ({@code EVENTSTORE_INITIAL_ADMIN_KEY_FILE}), readable by its
 * owner only; the log says where, never the secret. The admin command line creates none: there,
 * {@code admin keys create} makes the first key.
 */
@Context
@Requires(notEnv = Environment.CLI)
public class InitialAdminKey {

    private static final Logger LOG = LoggerFactory.getLogger(InitialAdminKey.class);
    static final String CONFIGURED_NAME = "admin (EVENTSTORE_ADMIN_KEY)";

    public InitialAdminKey(ApiKeyService keys, Environment environment,
                           @Nullable @Value("${eventstore.admin-key:}") String configuredKey,
                           @Value("${eventstore.initial-admin-key-file:./data/initial-admin-key}") String keyFile) {
        if (configuredKey != null && !configuredKey.isBlank()) {
            if (keys.authenticate(configuredKey).isEmpty()) {
                var created = keys.createWithSecret(configuredKey, CONFIGURED_NAME, Set.of("admin"), Optional.empty(),
                        "EVENTSTORE_ADMIN_KEY");
                LOG.info("event=admin_key_configured id={} name=\"{}\" source=EVENTSTORE_ADMIN_KEY", created.key().id(),
                        CONFIGURED_NAME);
            }
            return;
        }
        boolean jwt = environment.getPropertyEntries(JwtSettings.SIGNATURES).stream().findAny().isPresent();
        if (jwt || keys.anyKey()) {
            return;
        }
        Path file = Path.of(keyFile).toAbsolutePath().normalize();
        var created = keys.create("initial-admin", Set.of("admin"), Optional.empty(), "first start");
        write(file, created.secret());
        LOG.warn("event=initial_admin_key_created id={} file={} hint=\"the service had no API key and no JWT issuer, so it "
                        + "created an admin key; read it with: export TOKEN=$(cat {}), send Authorization: Bearer $TOKEN, "
                        + "create keys of your own with POST /api/admin/keys, then revoke this one and delete the file\"",
                created.key().id(), file, file);
    }

    private static void write(Path file, String secret) {
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.deleteIfExists(file);
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException notPosix) {
                Files.createFile(file);
            }
            Files.writeString(file, secret + System.lineSeparator(), StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the initial admin key to " + file + " (set "
                    + "EVENTSTORE_INITIAL_ADMIN_KEY_FILE to a writable path, or EVENTSTORE_ADMIN_KEY to a key of your own)", e);
        }
    }

    static boolean looksLikeKey(String secret) {
        return ApiKeySecret.looksLikeKey(secret);
    }
}
