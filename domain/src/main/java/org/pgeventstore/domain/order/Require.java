package org.pgeventstore.domain.order;

import java.util.Optional;

/** The field checks shared by the compact constructors; each failure names the field. */
final class Require {

    private Require() {
    }

    static <T> T present(T value, String field) {
        if (value == null) {
            throw new InvalidOrderData(field, "is required");
        }
        return value;
    }

    static String nonBlank(String value, String field) {
        present(value, field);
        if (value.isBlank()) {
            throw new InvalidOrderData(field, "must not be blank");
        }
        return value;
    }

    static String nonBlank(String value, String field, int maxLength) {
        nonBlank(value, field);
        if (value.length() > maxLength) {
            throw new InvalidOrderData(field, "must be at most " + maxLength + " characters, was " + value.length());
        }
        return value;
    }

    /** Optional text that, when given, must not be blank; a null Optional is read as absent. */
    static Optional<String> nonBlankIfGiven(Optional<String> value, String field) {
        Optional<String> given = orEmpty(value);
        given.ifPresent(text -> nonBlank(text, field));
        return given;
    }

    /** Deserializers may hand over null for a missing optional field; the domain never stores null. */
    static <T> Optional<T> orEmpty(Optional<T> value) {
        return value == null ? Optional.empty() : value;
    }
}
