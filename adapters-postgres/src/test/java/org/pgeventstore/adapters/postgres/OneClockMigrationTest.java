package org.pgeventstore.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Upgrading to one clock (migration V6): the order read model's rows written from the writer's
 * clock take their events' recorded times, so a projection that goes on agrees with a rebuild.
 */
class OneClockMigrationTest {

    /**
     * Up to a versioned migration. The repeatable one (R__event_store_functions.sql) holds the
     * functions as the latest versioned migration leaves them, so it runs only with the last one:
     * an upgrade always goes all the way.
     */
    private static Flyway flyway(RoleDatabase database, String target) {
        var configuration = Flyway.configure().dataSource(database.url(), database.owner(), RoleDatabase.PASSWORD)
                .locations("classpath:db/migration").target(target);
        return "latest".equals(target) ? configuration.load() : configuration.repeatableSqlMigrationPrefix("none-").load();
    }

    @Test
    @DisplayName("a row placed and paid at the writer's clock takes its events' occurred_at; an unpaid row keeps paid_at null")
    void readModelTakesRecordedTimes() throws Exception {
        try (var database = new RoleDatabase()) {
            flyway(database, "5").migrate();
            UUID paid = UUID.randomUUID();
            UUID unpaid = UUID.randomUUID();
            try (Connection owner = database.connectAs(database.owner())) {
                for (UUID id : new UUID[] {paid, unpaid}) {
                    RoleDatabase.execute(owner,
                            "SELECT append_events('order-" + id + "', 0, ARRAY['" + UUID.randomUUID() + "']::uuid[], "
                                    + "ARRAY['OrderPlaced'], ARRAY['{\"placedAt\": \"2020-01-01T00:00:00Z\"}'], ARRAY['{}'], "
                                    + "ARRAY[2])",
                            "INSERT INTO order_projections VALUES ('" + id + "', 'ORD', 'c', 'placed', '[]', 1, 0, 1, 0, "
                                    + "'{}', '2020-01-01T00:00:00Z', NULL, NULL, NULL, NULL, 1, 1, 'USD')");
                }
                RoleDatabase.execute(owner,
                        "SELECT append_events('order-" + paid + "', 1, ARRAY['" + UUID.randomUUID() + "']::uuid[], "
                                + "ARRAY['OrderPaid'], ARRAY['{\"paidAt\": \"2020-01-01T00:00:01Z\"}'], ARRAY['{}'], ARRAY[1])",
                        "UPDATE order_projections SET status = 'paid', paid_at = '2020-01-01T00:00:01Z', version = 2 "
                                + "WHERE id = '" + paid + "'");
            }
            flyway(database, "latest").migrate();
            try (Connection owner = database.connectAs(database.owner());
                 PreparedStatement statement = owner.prepareStatement("""
                         SELECT p.placed_at, p.paid_at,
                                (SELECT occurred_at FROM events WHERE stream_id = 'order-' || p.id AND version = 1),
                                (SELECT occurred_at FROM events WHERE stream_id = 'order-' || p.id AND version = 2)
                           FROM order_projections p WHERE p.id = ?""")) {
                statement.setObject(1, paid);
                try (ResultSet row = statement.executeQuery()) {
                    row.next();
                    assertThat(row.getObject(1, OffsetDateTime.class)).isEqualTo(row.getObject(3, OffsetDateTime.class));
                    assertThat(row.getObject(2, OffsetDateTime.class)).isEqualTo(row.getObject(4, OffsetDateTime.class));
                    assertThat(row.getObject(1, OffsetDateTime.class).getYear()).isGreaterThan(2020);
                }
                statement.setObject(1, unpaid);
                try (ResultSet row = statement.executeQuery()) {
                    row.next();
                    assertThat(row.getObject(1, OffsetDateTime.class)).isEqualTo(row.getObject(3, OffsetDateTime.class));
                    assertThat(row.getObject(2)).isNull();
                }
            }
        }
    }
}
