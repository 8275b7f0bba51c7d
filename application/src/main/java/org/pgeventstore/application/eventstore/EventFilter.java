package org.pgeventstore.application.eventstore;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Which events of the global feed a reader wants: a category, a set of types, both, or all. */
public record EventFilter(Optional<String> category, Set<String> types) {

    private static final Pattern CATEGORY = Pattern.compile("[A-Za-z0-9_.:@]{1," + StreamId.MAX_LENGTH + "}");

    public static final EventFilter ALL = new EventFilter(Optional.empty(), Set.of());

    public EventFilter {
        types = Set.copyOf(types);
        category.ifPresent(EventFilter::requireCategory);
        types.forEach(EventType::require);
    }

    public static EventFilter category(String category) {
        return new EventFilter(Optional.of(category), Set.of());
    }

    public static EventFilter types(String... types) {
        return new EventFilter(Optional.empty(), Set.of(types));
    }

    private static void requireCategory(String category) {
        if (!CATEGORY.matcher(category).matches()) {
            throw new InvalidEventData("category", "a category is 1.." + StreamId.MAX_LENGTH + " characters of A-Z a-z 0-9 _ . : @");
        }
    }

    public boolean matches(String streamCategory, String type) {
        return category.map(streamCategory::equals).orElse(true) && (types.isEmpty() || types.contains(type));
    }
}
