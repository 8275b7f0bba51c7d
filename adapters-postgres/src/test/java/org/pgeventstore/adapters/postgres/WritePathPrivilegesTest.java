package org.pgeventstore.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pgeventstore.adapters.postgres.RoleDatabase.execute;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.pgeventstore.application.eventstore.ExpectedVersion;
import org.pgeventstore.application.eventstore.NewEvent;
import org.pgeventstore.application.eventstore.StreamId;

/**
 * {@code append_events} is the only way for the application role to write events, set up as the
 * docs/operations.md ("A database role that cannot rewrite history") says, and the migrations run whatever
 * default privileges the database had, grants to PUBLIC included.
 */
class WritePathPrivilegesTest {

    private static void migrateAs(RoleDatabase database, String role) {
        Flyway.configure().dataSource(database.url(), role, RoleDatabase.PASSWORD)
                .locations("classpath:db/migration").load().migrate();
    }

    @Test
    @DisplayName("the application role appends through append_events but cannot insert, change or delete events, nor the offset")
    void onlyTheFunctionWrites() throws Exception {
        try (var database = new RoleDatabase()) {
            try (Connection asOwner = database.connectAs(database.owner())) {
                execute(asOwner, "GRANT USAGE ON SCHEMA public TO " + database.app(),
                        "ALTER DEFAULT PRIVILEGES FOR ROLE " + database.owner() + " IN SCHEMA public "
                                + "GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO " + database.app());
            }
            migrateAs(database, database.owner());
            try (var pool = database.poolAs(database.app(), 2)) {
                var store = new PostgresEventStore(pool);
                var appended = store.append(StreamId.of("priv-1"), ExpectedVersion.NO_STREAM,
                        List.of(NewEvent.of("Granted", "{\"n\": 1}")));
                assertThat(appended.firstVersion()).isEqualTo(1);
                try (Connection asApp = pool.getConnection()) {
                    for (String change : List.of(
                            "INSERT INTO events (position, event_id, stream_id, category, version, type, data) "
                                    + "VALUES (1, gen_random_uuid(), 'priv-1', 'priv', 3, 'Forged', '{}')",
                            "UPDATE events SET type = 'Changed'", "DELETE FROM events", "TRUNCATE events",
                            "UPDATE event_position_offset SET xid_offset = 0",
                            "INSERT INTO event_position_offset VALUES (true, 0, now())")) {
                        assertThatThrownBy(() -> execute(asApp, change)).as(change)
                                .isInstanceOfSatisfying(SQLException.class,
                                        denied -> assertThat(denied.getSQLState()).isEqualTo("42501"))
                                .hasMessageContaining("permission denied");
                    }
                }
                assertThat(store.read(StreamId.of("priv-1"), 1, 10).events()).hasSize(1);
            }
        }
    }

    @Test
    @DisplayName("migrations succeed when UPDATE, DELETE and INSERT on new tables were granted to PUBLIC, and take them back")
    void grantsToPublic() throws Exception {
        try (var database = new RoleDatabase()) {
            try (Connection asOwner = database.connectAs(database.owner())) {
                execute(asOwner, "GRANT USAGE ON SCHEMA public TO PUBLIC",
                        "ALTER DEFAULT PRIVILEGES FOR ROLE " + database.owner() + " IN SCHEMA public "
                                + "GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON TABLES TO PUBLIC");
            }
            migrateAs(database, database.owner());
            try (Connection asOwner = database.connectAs(database.owner());
                 Statement statement = asOwner.createStatement();
                 ResultSet rows = statement.executeQuery("""
                         SELECT table_name || ':' || privilege_type FROM information_schema.role_table_grants
                          WHERE grantee = 'PUBLIC' AND table_name IN ('events', 'event_position_offset')
                          ORDER BY 1""")) {
                List<String> grants = new java.util.ArrayList<>();
                while (rows.next()) {
                    grants.add(rows.getString(1));
                }
                assertThat(grants).containsExactly("event_position_offset:SELECT", "events:SELECT");
            }
            try (Connection asApp = database.connectAs(database.app())) {
                assertThatThrownBy(() -> execute(asApp, "DELETE FROM events"))
                        .isInstanceOfSatisfying(SQLException.class,
                                denied -> assertThat(denied.getSQLState()).isEqualTo("42501"))
                        .hasMessageContaining("permission denied");
            }
        }
    }
}
