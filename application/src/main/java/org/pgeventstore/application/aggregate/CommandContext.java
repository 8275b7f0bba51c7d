package org.pgeventstore.application.aggregate;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Who asked for a command, under which condition and idempotency key; who asked is stored in the
 * metadata of every event the command appends.
 *
 * @param correlationId ties together everything one request caused; required, not blank
 * @param causationId the id of the message that caused this command, or null
 * @param userId who asked, or null
 * @param condition the version the order must be at (the client's {@code If-Match}); when present
 *     the command runs only on an order that meets it, and is retried after a lost race only under
 *     {@link VersionCondition#EXISTS}; when empty a concurrency conflict is retried. Null is empty.
 * @param idempotencyKey the client's {@code Idempotency-Key}: the same key on the same order
 *     returns the first outcome instead of running the command again. Null is empty.
 * @param onBehalfOf the user a trusted caller acts for (its {@code X-User-Id}), or null
 */
public record CommandContext(String correlationId, String causationId, String userId,
                             Optional<VersionCondition> condition, Optional<String> idempotencyKey, String onBehalfOf)
        implements CommandHeaders {

    public CommandContext {
        if (correlationId == null || correlationId.isBlank()) {
            throw new IllegalArgumentException("correlationId must not be blank");
        }
        condition = condition == null ? Optional.empty() : condition;
        idempotencyKey = idempotencyKey == null ? Optional.empty() : idempotencyKey;
    }

    /** A context expecting exactly {@code expectedVersion} when present, without idempotency key. */
    public CommandContext(String correlationId, String causationId, String userId, OptionalLong expectedVersion) {
        this(correlationId, causationId, userId, expectedVersion == null || expectedVersion.isEmpty() ? Optional.empty()
                : Optional.of(VersionCondition.exactly(expectedVersion.getAsLong())), Optional.empty(), null);
    }

    /** A context with only a correlation id: no causation, no user, no condition, no key. */
    public static CommandContext of(String correlationId) {
        return new CommandContext(correlationId, null, null, Optional.empty(), Optional.empty(), null);
    }

    /** This context, with the command made conditional on the order being at {@code version}. */
    public CommandContext expectingVersion(long version) {
        return new CommandContext(correlationId, causationId, userId, Optional.of(VersionCondition.exactly(version)),
                idempotencyKey, onBehalfOf);
    }

    /** This context, with the command made conditional on {@code condition}. */
    public CommandContext on(VersionCondition condition) {
        return new CommandContext(correlationId, causationId, userId, Optional.of(Objects.requireNonNull(condition)),
                idempotencyKey, onBehalfOf);
    }

    /** This context, with an idempotency key. */
    public CommandContext withIdempotencyKey(String key) {
        return new CommandContext(correlationId, causationId, userId, condition, Optional.of(key), onBehalfOf);
    }

    /** The single version the client expects, if its condition names exactly one. */
    public OptionalLong expectedVersion() {
        return condition.filter(c -> c instanceof VersionCondition.OneOf one && one.versions().size() == 1)
                .map(c -> OptionalLong.of(((VersionCondition.OneOf) c).versions().first()))
                .orElse(OptionalLong.empty());
    }
}
