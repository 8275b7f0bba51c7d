package org.pgeventstore.application.access;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * An API key as stored: never its secret, only what it may do.
 *
 * @param name who or what uses it; the principal recorded as {@code userId} in the events it appends
 * @param categories the stream categories it may read and write; empty for all of them
 * @param createdBy the principal that created it
 * @param revokedAt when it was revoked; a revoked key authenticates nobody
 */
public record ApiKey(UUID id, String name, Set<Role> roles, Optional<Set<String>> categories, Instant createdAt,
                     String createdBy, Optional<Instant> revokedAt) {

    public ApiKey {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        roles = Set.copyOf(roles);
        categories = categories.map(Set::copyOf);
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(revokedAt, "revokedAt");
    }

    public boolean active() {
        return revokedAt.isEmpty();
    }
}
