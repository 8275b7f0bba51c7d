package org.pgeventstore.adapters.http;

import io.micronaut.http.HttpRequest;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.pgeventstore.adapters.http.security.Caller;
import org.pgeventstore.application.eventstore.EventFilter;
import org.pgeventstore.application.eventstore.EventType;
import org.pgeventstore.application.eventstore.InvalidEventData;

/**
 * The filter of a read of the global feed, as {@code GET /api/events} and its event stream take it:
 * {@code category} and {@code type} parameters, narrowed to what the caller may see.
 */
public final class FeedFilters {

    private FeedFilters() {
    }

    /** The filter {@code request} asks for, as its caller may see it. */
    public static EventFilter of(String category, HttpRequest<?> request) {
        return visibleTo(Caller.of(request), filter(category, request.getParameters().getAll("type")));
    }

    /**
     * A caller limited to some categories sees only theirs: asking for another is a 403, asking for
     * none gives all of its own.
     */
    private static EventFilter visibleTo(Caller caller, EventFilter asked) {
        if (caller.categories().isEmpty()) {
            return asked;
        }
        if (asked.categories().isEmpty()) {
            return new EventFilter(caller.categories().get(), asked.types());
        }
        asked.categories().forEach(caller::requireCategory);
        return asked;
    }

    /** {@code type} may repeat ({@code type=A&type=B}) or list types separated by commas. */
    private static EventFilter filter(String category, List<String> typeParameters) {
        Set<String> types = new LinkedHashSet<>();
        for (String parameter : typeParameters) {
            for (String type : parameter.split(",")) {
                if (!EventType.isValid(type)) {
                    throw ApiProblem.badParameter("type", "must be 1..200 characters of A-Z a-z 0-9 _ . : -; was "
                            + ApiProblem.quoted(type));
                }
                types.add(type);
            }
        }
        if (types.size() > 100) {
            throw ApiProblem.badParameter("type", "at most 100 types at once");
        }
        try {
            return new EventFilter(Optional.ofNullable(category).filter(c -> !c.isEmpty()), types);
        } catch (InvalidEventData e) {
            throw ApiProblem.badParameter(e.field(), e.getMessage());
        }
    }
}
