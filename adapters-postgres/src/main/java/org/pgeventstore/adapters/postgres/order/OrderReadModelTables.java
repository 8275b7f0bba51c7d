package org.pgeventstore.adapters.postgres.order;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.pgeventstore.adapters.postgres.PostgresFailures;
import org.pgeventstore.adapters.postgres.projection.ReadModelTables;

/**
 * The statements of the order read model's rows, for either of its two tables (see
 * {@link ReadModelTables}); the live read model's tables are made by the migrations,
 * {@link #create} makes others for tests and benchmarks.
 */
public final class OrderReadModelTables {

    /** The columns {@link PostgresOrderRows#rowOf} reads, in its order. */
    static final String COLUMNS = "id, order_number, customer_id, status, line_items::text, subtotal, "
            + "shipping_cost, total, amount_paid, shipping_address::text, placed_at, paid_at, shipped_at, delivered_at, "
            + "cancelled_at, version, last_position, currency";

    /** The changed rows, unnested from one array per column (the order of {@link PostgresOrderRows.RowArrays}). */
    private static final String ROWS = """
            unnest(?::uuid[], ?::text[], ?::text[], ?::text[], ?::text[], ?::numeric[], ?::numeric[], ?::numeric[],
                   ?::numeric[], ?::text[], ?::timestamptz[], ?::timestamptz[], ?::timestamptz[], ?::timestamptz[],
                   ?::timestamptz[], ?::bigint[], ?::bigint[], ?::bigint[], ?::text[])
              AS r(id, order_number, customer_id, status, line_items, subtotal, shipping_cost, total, amount_paid,
                   shipping_address, placed_at, paid_at, shipped_at, delivered_at, cancelled_at, version,
                   last_position, loaded_version, currency)""";

    private OrderReadModelTables() {
    }

    static String loadRows(String table) {
        return "SELECT " + COLUMNS + " FROM " + table + " WHERE id = ANY (?)";
    }

    // One statement per kind whatever the batch's size: rows travel as arrays, one per column.
    static String insertRows(String table) {
        return "INSERT INTO " + table + """
                 (id, order_number, customer_id, status, line_items, subtotal, shipping_cost, total, amount_paid,
                  shipping_address, placed_at, paid_at, shipped_at, delivered_at, cancelled_at, version, last_position,
                  currency)
                SELECT r.id, r.order_number, r.customer_id, r.status, r.line_items::jsonb, r.subtotal, r.shipping_cost,
                       r.total, r.amount_paid, r.shipping_address::jsonb, r.placed_at, r.paid_at, r.shipped_at,
                       r.delivered_at, r.cancelled_at, r.version, r.last_position, r.currency
                  FROM %s
                """.formatted(ROWS);
    }

    static String updateRows(String table) {
        return "UPDATE " + table + """
                 t SET order_number = r.order_number, customer_id = r.customer_id, status = r.status,
                       line_items = r.line_items::jsonb, subtotal = r.subtotal, shipping_cost = r.shipping_cost,
                       total = r.total, amount_paid = r.amount_paid, shipping_address = r.shipping_address::jsonb,
                       placed_at = r.placed_at, paid_at = r.paid_at, shipped_at = r.shipped_at,
                       delivered_at = r.delivered_at, cancelled_at = r.cancelled_at, version = r.version,
                       last_position = r.last_position, currency = r.currency
                  FROM %s
                 WHERE t.id = r.id AND t.version = r.loaded_version
                """.formatted(ROWS);
    }

    /** Moves a row to a skipped event's version, if it was right before it. */
    static String moveRowPast(String table) {
        return "UPDATE " + table + " SET version = ? WHERE id = ? AND version = ?";
    }

    /** Deletes up to a page of rows: a table is emptied in short transactions, none holding a transaction id for long. */
    static String deletePage(String table) {
        return "DELETE FROM " + table + " WHERE id IN (SELECT id FROM " + table + " LIMIT ?)";
    }

    /**
     * Makes empty tables for the read model {@code base}, dropping any of that name first: for tests
     * and benchmarks, which run as a role that may create tables. The live one's are made by the
     * migrations.
     */
    public static void create(DataSource dataSource, String base) {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            for (String table : ReadModelTables.of(base)) {
                statement.execute("DROP TABLE IF EXISTS " + table);
                statement.execute("CREATE TABLE " + table + " (LIKE order_projections_blue INCLUDING ALL)");
            }
        } catch (SQLException e) {
            throw PostgresFailures.translate("create the read model tables of " + base, e);
        }
    }
}
