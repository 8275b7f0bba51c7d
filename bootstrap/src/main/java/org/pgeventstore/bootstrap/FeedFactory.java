package org.pgeventstore.bootstrap;

import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import javax.sql.DataSource;
import org.pgeventstore.adapters.postgres.PostgresFeedHorizon;
import org.pgeventstore.application.feed.AppendSignal;
import org.pgeventstore.application.feed.FeedHorizon;

/** Wires what holds the global feed back to PostgreSQL. */
@Factory
public class FeedFactory {

    /** The wake-up of this instance's feed readers; see {@link FeedNotifications}. */
    @Singleton
    AppendSignal appendSignal() {
        return new AppendSignal();
    }

    @Singleton
    FeedHorizon feedHorizon(DataSource dataSource) {
        return new PostgresFeedHorizon(dataSource);
    }
}
