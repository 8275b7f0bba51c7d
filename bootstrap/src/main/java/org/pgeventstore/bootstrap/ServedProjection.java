package org.pgeventstore.bootstrap;

import java.util.Objects;
import java.util.function.Function;
import org.pgeventstore.adapters.postgres.projection.PostgresProjection;
import org.pgeventstore.application.projection.ParkedStreams;
import org.pgeventstore.application.projection.Reconciliation;

/**
 * A projection {@link ProjectionService} runs and operates: the generic parts (checkpoint, rows
 * writer, rebuild target) and the read model's own check, given the projection's parking place.
 * One {@code @Singleton} of these per read model is all the service needs to run it.
 */
public record ServedProjection(PostgresProjection projection, Function<ParkedStreams, Reconciliation> reconciliation) {

    public ServedProjection {
        Objects.requireNonNull(projection, "projection");
        Objects.requireNonNull(reconciliation, "reconciliation");
    }

    public String name() {
        return projection.name();
    }
}
