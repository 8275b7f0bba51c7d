package org.pgeventstore.application.access;

import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Creating, listing, revoking and checking API keys. A check costs a SHA-256 and a map lookup: what
 * a key may do is remembered for {@code cacheFor} (1 s in the service), so a key revoked on one
 * instance stops working on every instance within that time plus one database read. While the
 * store cannot be read, what was last known of a key stands.
 */
public final class ApiKeyService {

    private static final Pattern NAME = Pattern.compile("[\\x21-\\x7E]([\\x20-\\x7E]{0,98}[\\x21-\\x7E])?");
    private static final Pattern CATEGORY = Pattern.compile("[A-Za-z0-9_.:@]{1,200}");
    private static final int CACHE_LIMIT = 10_000;

    private final ApiKeys keys;
    private final Clock clock;
    private final long cacheNanos;
    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(Optional<ApiKey> key, long loadedAt) {
    }

    /** A key just created, with the only copy of its secret. */
    public record CreatedKey(ApiKey key, String secret) {
    }

    public ApiKeyService(ApiKeys keys, Clock clock, Duration cacheFor) {
        this.keys = Objects.requireNonNull(keys, "keys");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.cacheNanos = cacheFor.toNanos();
    }

    /**
     * Creates a key with a new random secret.
     *
     * @param categories the categories it is limited to; empty for all
     * @throws InvalidKeyRequest when the name, a role or a category is not valid
     */
    public CreatedKey create(String name, Set<String> roles, Optional<Set<String>> categories, String createdBy) {
        return createWithSecret(ApiKeySecret.generate(), name, roles, categories, createdBy);
    }

    /** Creates a key with the given secret, as {@code EVENTSTORE_ADMIN_KEY} asks. */
    public CreatedKey createWithSecret(String secret, String name, Set<String> roles, Optional<Set<String>> categories,
                                       String createdBy) {
        if (secret == null || secret.length() < ApiKeySecret.MIN_LENGTH || secret.length() > 512 || secret.contains(".")
                || !secret.chars().allMatch(c -> c > 0x20 && c < 0x7F)) {
            throw new InvalidKeyRequest("key", "must be " + ApiKeySecret.MIN_LENGTH + " to 512 visible ASCII characters "
                    + "without dots (e.g. from: openssl rand -base64 32)");
        }
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidKeyRequest("name", "must be 1..100 printable ASCII characters, not starting or ending with a space");
        }
        if (roles == null || roles.isEmpty()) {
            throw new InvalidKeyRequest("roles", "must name at least one of read, write, admin, impersonate");
        }
        Set<Role> parsed = new java.util.TreeSet<>();
        for (String role : roles) {
            parsed.add(Role.parse(role).orElseThrow(() -> new InvalidKeyRequest("roles",
                    "names an unknown role " + quoted(role) + "; roles are read, write, admin, impersonate")));
        }
        if (categories.isPresent()) {
            if (categories.get().isEmpty()) {
                throw new InvalidKeyRequest("categories", "must name at least one category, or be left out for all");
            }
            for (String category : categories.get()) {
                if (category == null || !CATEGORY.matcher(category).matches()) {
                    throw new InvalidKeyRequest("categories", "holds " + quoted(category)
                            + "; a category is 1..200 characters of A-Z a-z 0-9 _ . : @ (a stream id's part before its first -)");
                }
            }
        }
        byte[] hash = ApiKeySecret.hash(secret);
        if (keys.findBySecretHash(hash).isPresent()) {
            throw new InvalidKeyRequest("key", "is already a key");
        }
        ApiKey key = new ApiKey(UUID.randomUUID(), name, parsed, categories, clock.instant(), createdBy, Optional.empty());
        keys.add(key, hash);
        cache.remove(HexFormat.of().formatHex(hash));
        return new CreatedKey(key, secret);
    }

    public List<ApiKey> list() {
        return keys.list();
    }

    /** Revokes the key on this instance at once, and on every other within the cache time. */
    public Optional<ApiKey> revoke(UUID id, String revokedBy) {
        Optional<ApiKey> revoked = keys.revoke(id, revokedBy);
        cache.values().removeIf(cached -> cached.key().map(key -> key.id().equals(id)).orElse(false));
        return revoked;
    }

    /** Whether a key was ever created (the first start creates one when none was). */
    public boolean anyKey() {
        return keys.any();
    }

    /**
     * What the cache knows of {@code secret} without asking the store: the active key it is, or
     * empty inside when it is known not to be one; empty outside when {@link #authenticate} must
     * read the store.
     */
    public Optional<Optional<ApiKey>> cached(String secret) {
        Cached cached = cache.get(HexFormat.of().formatHex(ApiKeySecret.hash(secret)));
        if (cached == null || System.nanoTime() - cached.loadedAt() > cacheNanos) {
            return Optional.empty();
        }
        return Optional.of(cached.key());
    }

    /** What was last known of {@code secret}, however old: for when the store cannot answer in time. */
    public Optional<Optional<ApiKey>> lastKnown(String secret) {
        Cached cached = cache.get(HexFormat.of().formatHex(ApiKeySecret.hash(secret)));
        return cached == null ? Optional.empty() : Optional.of(cached.key());
    }

    /** The active key {@code secret} is, if it is one; reads the store when the cache does not know. */
    public Optional<ApiKey> authenticate(String secret) {
        String hash = HexFormat.of().formatHex(ApiKeySecret.hash(secret));
        long now = System.nanoTime();
        Cached cached = cache.get(hash);
        if (cached == null || now - cached.loadedAt() > cacheNanos) {
            Optional<ApiKey> found;
            try {
                found = keys.findBySecretHash(HexFormat.of().parseHex(hash)).filter(ApiKey::active);
            } catch (RuntimeException unavailable) {
                // The store cannot be read: a key known before goes on working meanwhile (its
                // revocation could not be read either); an unknown one cannot be checked.
                if (cached != null) {
                    return cached.key();
                }
                throw unavailable;
            }
            if (cache.size() >= CACHE_LIMIT) {
                cache.clear();
            }
            cached = new Cached(found, now);
            cache.put(hash, cached);
        }
        return cached.key();
    }

    private static String quoted(String text) {
        return text == null ? "null" : "\"" + (text.length() > 60 ? text.substring(0, 57) + "..." : text) + "\"";
    }
}
