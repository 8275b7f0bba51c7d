package org.pgeventstore.application.aggregate;

import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The version an aggregate must be at for a conditional command to run: the client's {@code If-Match}
 * (RFC 9110, strong comparison). An aggregate without events meets no condition.
 */
public sealed interface VersionCondition {

    /** {@code If-Match: *}: any version, as long as the aggregate exists. */
    VersionCondition EXISTS = new Exists();

    /** Whether an aggregate at {@code currentVersion} (0: no event yet) meets the condition. */
    boolean heldBy(long currentVersion);

    /** Whether a command that lost a race to append may be decided again on the new state. */
    boolean allowsRetry();

    /** {@code If-Match: "3"}. */
    static VersionCondition exactly(long version) {
        return new OneOf(Set.of(version));
    }

    record Exists() implements VersionCondition {
        @Override
        public boolean heldBy(long currentVersion) {
            return currentVersion > 0;
        }

        @Override
        public boolean allowsRetry() {
            return true;
        }

        @Override
        public String toString() {
            return "any version";
        }
    }

    /**
     * One of these versions ({@code If-Match: "3", "4"}); empty when the header held only weak tags
     * ({@code W/"3"}), which never match under strong comparison.
     */
    record OneOf(SortedSet<Long> versions) implements VersionCondition {

        public OneOf(Set<Long> versions) {
            this(new TreeSet<>(versions));
        }

        public OneOf {
            for (long version : versions) {
                if (version < 0) {
                    throw new IllegalArgumentException("an expected version is 0 or more, was " + version);
                }
            }
            versions = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(versions));
        }

        @Override
        public boolean heldBy(long currentVersion) {
            return currentVersion > 0 && versions.contains(currentVersion);
        }

        @Override
        public boolean allowsRetry() {
            return false;
        }

        @Override
        public String toString() {
            return versions.isEmpty() ? "no version (only weak entity tags)"
                    : versions.stream().map(v -> "version " + v).collect(Collectors.joining(" or "));
        }
    }
}
