package org.pgeventstore.application.eventstore;

/**
 * What a writer expects of a stream's version when it appends. Versions start
 * at 1; a stream that does not exist has version 0.
 */
public sealed interface ExpectedVersion {

    /** No expectation: the append never fails for concurrency. */
    record Any() implements ExpectedVersion {
        @Override
        public String toString() {
            return "any";
        }
    }

    /** The stream must not exist yet (version 0). */
    record NoStream() implements ExpectedVersion {
        @Override
        public String toString() {
            return "0";
        }
    }

    /** The stream must have at least one event, at whatever version. */
    record Exists() implements ExpectedVersion {
        @Override
        public String toString() {
            return "exists";
        }
    }

    /** The stream must be at exactly this version (0 is the same as {@link NoStream}). */
    record Exact(long version) implements ExpectedVersion {
        public Exact {
            if (version < 0) {
                throw new InvalidEventData("expectedVersion", "an expected version is 0 or more, was " + version);
            }
        }

        @Override
        public String toString() {
            return Long.toString(version);
        }
    }

    ExpectedVersion ANY = new Any();
    ExpectedVersion NO_STREAM = new NoStream();
    ExpectedVersion EXISTS = new Exists();

    static ExpectedVersion exactly(long version) {
        return version == 0 ? NO_STREAM : new Exact(version);
    }

    /** Whether a stream currently at {@code actual} satisfies this expectation. */
    default boolean isSatisfiedBy(long actual) {
        return switch (this) {
            case Any any -> true;
            case NoStream noStream -> actual == 0;
            case Exists exists -> actual > 0;
            case Exact exact -> actual == exact.version();
        };
    }
}
