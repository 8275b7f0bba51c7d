package org.pgeventstore.adapters.http;

import io.micronaut.http.HttpStatus;
import java.util.Map;
import java.util.Optional;
import org.pgeventstore.application.eventstore.StreamId;
import org.pgeventstore.application.order.OrderStreams;

/**
 * Categories an aggregate of this service owns take events only through its commands, which keep
 * its rules: a generic append could write anything (an order stream whose id is not a UUID, an
 * event the order cannot fold) and stop its projection for good. Reading them stays open. The admin
 * command line's import refuses them by the same rule.
 */
public final class OwnedCategories {

    private static final Map<String, String> ROUTES = Map.of(OrderStreams.CATEGORY,
            "POST /api/orders and POST /api/orders/{id}/items, /payment, /shipment, /delivery, /cancellation");

    private OwnedCategories() {
    }

    /** The commands that own {@code category}, in words; empty when generic appends may write it. */
    public static Optional<String> owner(String category) {
        return Optional.ofNullable(ROUTES.get(category));
    }

    static void refuseGenericAppend(StreamId stream) {
        String route = ROUTES.get(stream.category());
        if (route != null) {
            throw ApiProblem.withMembers(HttpStatus.FORBIDDEN, "category-owned", "The category belongs to an aggregate",
                    "streams of category " + stream.category() + " take events only through the aggregate's commands: "
                            + route, Map.of("category", stream.category(), "use", route));
        }
    }
}
