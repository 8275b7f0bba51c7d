package org.pgeventstore.application.order;

import java.util.OptionalLong;

/**
 * Who asked for a command and under which expectation; stored in the metadata of every event
 * the command appends.
 *
 * @param correlationId ties together everything one request caused; required, not blank
 * @param causationId the id of the message that caused this command, or null
 * @param userId who asked, or null
 * @param expectedVersion the version the client last saw (its {@code If-Match}); when present the
 *     command runs only against exactly that version and is never retried, when empty a
 *     concurrency conflict is retried. A null is read as empty.
 */
public record CommandContext(String correlationId, String causationId, String userId, OptionalLong expectedVersion) {

    public CommandContext {
        if (correlationId == null || correlationId.isBlank()) {
            throw new IllegalArgumentException("correlationId must not be blank");
        }
        expectedVersion = expectedVersion == null ? OptionalLong.empty() : expectedVersion;
        if (expectedVersion.isPresent() && expectedVersion.getAsLong() < 0) {
            throw new IllegalArgumentException("expectedVersion must not be negative, was " + expectedVersion.getAsLong());
        }
    }

    /** A context with only a correlation id: no causation, no user, no expected version. */
    public static CommandContext of(String correlationId) {
        return new CommandContext(correlationId, null, null, OptionalLong.empty());
    }

    /** This context, with the command made conditional on the order being at {@code version}. */
    public CommandContext expectingVersion(long version) {
        return new CommandContext(correlationId, causationId, userId, OptionalLong.of(version));
    }
}
