package org.pgeventstore.application.eventstore;

import java.util.Optional;
import java.util.Set;

/**
 * Which streams {@link EventStore#listStreams} lists: those of {@code categories} (every category
 * when empty), from right after the stream {@code after} in the listing's order (from the first
 * when empty), at most {@code limit} (1 or more).
 */
public record StreamListQuery(Set<String> categories, Optional<StreamId> after, int limit) {

    public StreamListQuery {
        categories = Set.copyOf(categories);
        categories.forEach(EventFilter::requireCategory);
        if (limit < 1) {
            throw new IllegalArgumentException("a listing's limit is 1 or more, was " + limit);
        }
    }

    public static StreamListQuery first(int limit) {
        return new StreamListQuery(Set.of(), Optional.empty(), limit);
    }

    public StreamListQuery inCategories(Set<String> wanted) {
        return new StreamListQuery(wanted, after, limit);
    }

    /** The page after the one that ended with {@code last}. */
    public StreamListQuery after(StreamId last) {
        return new StreamListQuery(categories, Optional.of(last), limit);
    }
}
