package org.pgeventstore.adapters.http.security;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.security.authentication.Authentication;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.pgeventstore.adapters.http.ApiProblem;
import org.pgeventstore.application.access.Role;

/**
 * Who is calling, as authentication established: a principal (an API key's name, a JWT's subject),
 * its roles, and the stream categories it is limited to, if any.
 */
public record Caller(String principal, Set<String> roles, Optional<Set<String>> categories) {

    /** The authentication attribute holding a caller's category limits: a list of names, or absent for all. */
    public static final String CATEGORIES = "categories";

    public static Caller of(HttpRequest<?> request) {
        Authentication authentication = request.getUserPrincipal(Authentication.class)
                .orElseThrow(() -> new IllegalStateException("a route under /api was reached without authentication"));
        return of(authentication);
    }

    public static Caller of(Authentication authentication) {
        Object limits = authentication.getAttributes().get(CATEGORIES);
        Optional<Set<String>> categories = Optional.empty();
        if (limits instanceof Collection<?> list) {
            Set<String> names = new TreeSet<>();
            list.forEach(name -> names.add(String.valueOf(name)));
            categories = Optional.of(names);
        } else if (limits instanceof String one && !one.isBlank()) {
            categories = Optional.of(Set.of(one.split("[,\\s]+")));
        }
        return new Caller(authentication.getName(), Set.copyOf(authentication.getRoles()), categories);
    }

    public boolean has(Role role) {
        return roles.contains(role.inWords()) || roles.contains(Role.ADMIN.inWords());
    }

    /** Whether the caller may read and write streams of {@code category}. */
    public boolean mayUse(String category) {
        return categories.map(allowed -> allowed.contains(category)).orElse(true);
    }

    /** @throws ApiProblem 403 naming the category when the caller is limited to others */
    public void requireCategory(String category) {
        if (!mayUse(category)) {
            throw ApiProblem.withMembers(HttpStatus.FORBIDDEN, "forbidden", "Not allowed",
                    principal + " may use only the categories " + categories.orElseThrow() + ", not " + category,
                    Map.of("missingCategory", category, "allowedCategories", List.copyOf(categories.orElseThrow())));
        }
    }
}
