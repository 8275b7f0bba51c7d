package org.pgeventstore.application.access;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Where API keys are kept: by the SHA-256 of their secret, never the secret itself. Keys are
 * high-entropy random strings, so a fast hash is what protects them at rest; a password hash
 * would only make every request slower.
 */
public interface ApiKeys {

    /** Stores {@code key}, found from now on by {@code secretHash}. */
    void add(ApiKey key, byte[] secretHash);

    /** Every key, revoked ones included, oldest first. */
    List<ApiKey> list();

    /** The key whose secret hashes to {@code secretHash}, revoked or not. */
    Optional<ApiKey> findBySecretHash(byte[] secretHash);

    /**
     * Revokes the key; revoking a revoked key keeps its first revocation.
     *
     * @return the key as it is now, empty when there is no such key
     */
    Optional<ApiKey> revoke(UUID id, String revokedBy);

    /** Whether any key, active or revoked, was ever created. */
    boolean any();
}
