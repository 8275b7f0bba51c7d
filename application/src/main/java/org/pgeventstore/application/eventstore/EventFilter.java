package org.pgeventstore.application.eventstore;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which events of the global feed a reader wants: those of some categories, of some types, both,
 * or all. An empty set places no limit.
 */
public record EventFilter(Set<String> categories, Set<String> types) {

    private static final Pattern CATEGORY = Pattern.compile("[A-Za-z0-9_.:@]{1," + StreamId.MAX_LENGTH + "}");

    public static final EventFilter ALL = new EventFilter(Set.of(), Set.of());

    public EventFilter {
        categories = Set.copyOf(categories);
        types = Set.copyOf(types);
        categories.forEach(EventFilter::requireCategory);
        types.forEach(EventType::require);
    }

    /** At most one category. */
    public EventFilter(Optional<String> category, Set<String> types) {
        this(category.map(Set::of).orElse(Set.of()), types);
    }

    public static EventFilter category(String category) {
        return new EventFilter(Set.of(category), Set.of());
    }

    public static EventFilter types(String... types) {
        return new EventFilter(Set.of(), Set.of(types));
    }

    /** The one category this filter names, if it names exactly one. */
    public Optional<String> category() {
        return categories.size() == 1 ? Optional.of(categories.iterator().next()) : Optional.empty();
    }

    static void requireCategory(String category) {
        if (category == null || !CATEGORY.matcher(category).matches()) {
            throw new InvalidEventData("category", "a category is 1.." + StreamId.MAX_LENGTH + " characters of A-Z a-z 0-9 _ . : @");
        }
    }

    public boolean matches(String streamCategory, String type) {
        return (categories.isEmpty() || categories.contains(streamCategory)) && (types.isEmpty() || types.contains(type));
    }
}
