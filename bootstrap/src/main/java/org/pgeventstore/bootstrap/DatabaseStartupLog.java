package org.pgeventstore.bootstrap;

import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Says at startup which database the service uses and in what state, for the person running it. */
@Singleton
public class DatabaseStartupLog implements ApplicationEventListener<ServerStartupEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseStartupLog.class);
    private final DataSource dataSource;

    public DatabaseStartupLog(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public void onApplicationEvent(ServerStartupEvent event) {
        try (Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("""
                     SELECT current_setting('server_version'), current_database(), current_setting('fsync'),
                            current_setting('synchronous_commit'),
                            (SELECT max(version) FROM flyway_schema_history WHERE success)
                     """)) {
            row.next();
            LOG.info("event=database_ready url={} postgres={} database={} fsync={} synchronousCommit={} schemaVersion={} "
                            + "server={}", connection.getMetaData().getURL(), row.getString(1), row.getString(2),
                    row.getString(3), row.getString(4), row.getString(5), event.getSource().getURI());
        } catch (SQLException e) {
            LOG.warn("event=database_check_failed error=\"{}\" hint=\"the service started, but PostgreSQL did not answer; "
                    + "requests will get 503 until it does\"", e.getMessage());
        }
    }
}
