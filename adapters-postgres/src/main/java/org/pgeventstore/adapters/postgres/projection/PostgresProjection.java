package org.pgeventstore.adapters.postgres.projection;

import java.util.Objects;
import javax.sql.DataSource;
import org.pgeventstore.application.eventstore.EventFilter;
import org.pgeventstore.application.eventstore.EventStore;
import org.pgeventstore.application.projection.ProjectionSettings;

/**
 * One projection as the generic machinery runs it: its checkpoint's name, the category it follows,
 * the tables of its read model and the writer of their rows. A team adds a read model by supplying
 * one of these; checkpoints, parking, leases and rebuilds come with it.
 *
 * @param name the checkpoint's name, which operators know the projection by ({@code [a-z0-9_-]})
 * @param tables its read model's two tables, named by this checkpoint
 */
public record PostgresProjection(String name, String category, ReadModelTables tables, ReadModelWriter writer) {

    public PostgresProjection {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(writer, "writer");
        if (!tables.checkpoint().equals(name)) {
            throw new IllegalArgumentException("the tables of projection " + name + " are named by checkpoint "
                    + tables.checkpoint());
        }
    }

    /** The events it follows. */
    public EventFilter filter() {
        return EventFilter.category(category);
    }

    /** Its checkpoint and parking place, writing through its writer. */
    public PostgresProjectionCheckpoints checkpoints(DataSource dataSource) {
        return new PostgresProjectionCheckpoints(dataSource, name, name, tables, writer,
                PostgresProjectionCheckpoints.BeforeCommit.NOTHING);
    }

    /** A rebuild of it from position 0 into its other table. */
    public PostgresProjectionRebuild rebuild(DataSource dataSource, EventStore feed, ProjectionSettings settings) {
        return new PostgresProjectionRebuild(dataSource, feed, settings, this);
    }
}
