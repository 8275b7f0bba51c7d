package org.pgeventstore.application.access;

import java.util.Locale;
import java.util.Optional;

/**
 * What a caller may do. {@link #READ}: every read of the API but the admin routes; {@link #WRITE}:
 * appends and order commands, nothing else; {@link #ADMIN}: everything, projections, statistics and
 * keys included; {@link #IMPERSONATE}: the {@code X-User-Id} header is recorded beside the caller.
 */
public enum Role {
    READ, WRITE, ADMIN, IMPERSONATE;

    /** The role's name in keys, tokens and problems: {@code read}, {@code write}, ... */
    public String inWords() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> parse(String name) {
        for (Role role : values()) {
            if (role.inWords().equals(name)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
