package org.pgeventstore.application.access;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** {@link ApiKeys} in memory, for tests and the in-memory service. */
public final class InMemoryApiKeys implements ApiKeys {

    private final Clock clock;
    private final Map<UUID, ApiKey> keys = new LinkedHashMap<>();
    private final Map<String, UUID> byHash = new LinkedHashMap<>();

    public InMemoryApiKeys(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized void add(ApiKey key, byte[] secretHash) {
        String hash = HexFormat.of().formatHex(secretHash);
        if (byHash.containsKey(hash) || keys.containsKey(key.id())) {
            throw new IllegalArgumentException("a key with this id or secret is already stored");
        }
        keys.put(key.id(), key);
        byHash.put(hash, key.id());
    }

    @Override
    public synchronized List<ApiKey> list() {
        return new ArrayList<>(keys.values());
    }

    @Override
    public synchronized Optional<ApiKey> findBySecretHash(byte[] secretHash) {
        return Optional.ofNullable(byHash.get(HexFormat.of().formatHex(secretHash))).map(keys::get);
    }

    @Override
    public synchronized Optional<ApiKey> revoke(UUID id, String revokedBy) {
        ApiKey key = keys.get(id);
        if (key == null) {
            return Optional.empty();
        }
        if (key.active()) {
            key = new ApiKey(key.id(), key.name(), key.roles(), key.categories(), key.createdAt(), key.createdBy(),
                    Optional.of(clock.instant()));
            keys.put(id, key);
        }
        return Optional.of(key);
    }

    @Override
    public synchronized boolean any() {
        return !keys.isEmpty();
    }
}
