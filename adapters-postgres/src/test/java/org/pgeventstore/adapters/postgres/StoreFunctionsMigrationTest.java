package org.pgeventstore.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The event store's SQL functions live in one repeatable migration, R__event_store_functions.sql:
 * every function the migrations leave in the schema is defined there, so a change to one is made
 * in one place, and running the file again (as Flyway does when it changes) keeps what the
 * versioned migrations set up around them.
 */
class StoreFunctionsMigrationTest {

    private static final String FUNCTIONS = "db/migration/R__event_store_functions.sql";
    private static final Pattern DEFINED = Pattern.compile("CREATE OR REPLACE FUNCTION (\\w+)\\(");

    private static Flyway flyway(RoleDatabase database) {
        return Flyway.configure().dataSource(database.url(), database.owner(), RoleDatabase.PASSWORD)
                .locations("classpath:db/migration").load();
    }

    /** Name to properties (security, search_path, and who may execute it) of each function in the schema. */
    private static Map<String, String> functions(Connection connection) throws Exception {
        Map<String, String> functions = new TreeMap<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("""
                     SELECT p.proname, p.prosecdef, coalesce(array_to_string(p.proconfig, ';'), ''),
                            coalesce(array_to_string(p.proacl, ';'), ''), pg_get_userbyid(p.proowner)
                       FROM pg_proc p WHERE p.pronamespace = current_schema()::regnamespace""")) {
            while (rows.next()) {
                functions.put(rows.getString(1), "securityDefiner=" + rows.getBoolean(2) + " config=" + rows.getString(3)
                        + " acl=" + rows.getString(4) + " owner=" + rows.getString(5));
            }
        }
        return functions;
    }

    private static TreeSet<String> definedInTheRepeatableMigration() throws IOException {
        TreeSet<String> names = new TreeSet<>();
        try (InputStream in = StoreFunctionsMigrationTest.class.getClassLoader().getResourceAsStream(FUNCTIONS)) {
            assertThat(in).as(FUNCTIONS).isNotNull();
            Matcher matcher = DEFINED.matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            while (matcher.find()) {
                names.add(matcher.group(1));
            }
        }
        return names;
    }

    @Test
    @DisplayName("every function of the schema is defined in R__event_store_functions.sql, and nowhere else is current")
    void everyFunctionInOnePlace() throws Exception {
        try (var database = new RoleDatabase()) {
            flyway(database).migrate();
            try (Connection owner = database.connectAs(database.owner())) {
                assertThat(functions(owner).keySet()).isEqualTo(definedInTheRepeatableMigration());
            }
        }
    }

    @Test
    @DisplayName("running the repeatable migration again keeps each function's owner, grants, security and search_path")
    void runningAgainKeepsProperties() throws Exception {
        try (var database = new RoleDatabase()) {
            flyway(database).migrate();
            try (Connection owner = database.connectAs(database.owner())) {
                Map<String, String> before = functions(owner);
                assertThat(before.get("append_events")).contains("securityDefiner=true", "search_path=");
                assertThat(before.get("events_align_positions")).contains("securityDefiner=true", "search_path=");
                String script;
                try (InputStream in = StoreFunctionsMigrationTest.class.getClassLoader().getResourceAsStream(FUNCTIONS)) {
                    script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
                try (Statement statement = owner.createStatement()) {
                    statement.execute(script);
                }
                assertThat(functions(owner)).isEqualTo(before);
            }
        }
    }
}
