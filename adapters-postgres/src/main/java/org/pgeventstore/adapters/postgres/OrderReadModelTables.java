package org.pgeventstore.adapters.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * The two tables of one order read model, {@code <base>_blue} and {@code <base>_green}, of the
 * same shape: the checkpoint row ({@code projection_positions.read_model}) names the live one, a
 * rebuild fills the other, and the swap is an update of that row, never DDL (see V7 and ADR 5).
 * This class holds the statements that differ by table; the live read model's tables are made by
 * the migrations, {@link #create} makes others for tests and benchmarks.
 */
final class OrderReadModelTables {

    private static final Pattern BASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,50}");
    private static final Pattern CHECKPOINT_NAME = Pattern.compile("[a-z0-9_-]{1,60}");

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

    private final String base;
    private final String blue;
    private final String green;
    private final String checkpoint;

    /**
     * @param base the read model's name: its tables are {@code <base>_blue} and {@code <base>_green}
     * @param checkpoint the checkpoint whose row names the live table
     */
    OrderReadModelTables(String base, String checkpoint) {
        if (!BASE_NAME.matcher(base).matches() || !CHECKPOINT_NAME.matcher(checkpoint).matches()) {
            throw new IllegalArgumentException("a read model is named [a-z0-9_] and a projection [a-z0-9_-]; was "
                    + base + ", " + checkpoint);
        }
        this.base = base;
        this.blue = base + "_blue";
        this.green = base + "_green";
        this.checkpoint = checkpoint;
    }

    /** The tables of the read model named {@code base}. */
    static List<String> of(String base) {
        return List.of(base + "_blue", base + "_green");
    }

    String base() {
        return base;
    }

    /** The table a checkpoint row names as live: blue when it names none (a checkpoint made before V7). */
    String live(String readModel) {
        if (readModel == null) {
            return blue;
        }
        if (!readModel.equals(blue) && !readModel.equals(green)) {
            throw new IllegalStateException("the checkpoint of " + checkpoint + " names read model table " + readModel
                    + ", which is neither " + blue + " nor " + green);
        }
        return readModel;
    }

    /** The table that is not {@code live}: where a rebuild goes. */
    String other(String live) {
        return live(live).equals(blue) ? green : blue;
    }

    /**
     * One query over the live table, picked in the same statement (so in the same snapshot) as the
     * rows: {@code perTable} has {@code %1$s} for a table and {@code %2$s} for the condition that it
     * is the live one; the other branch returns nothing without being scanned. Its parameters are
     * bound twice, once per branch.
     */
    String overLive(String perTable) {
        return "(" + perTable.formatted(blue, isLive(blue)) + ")\nUNION ALL\n(" + perTable.formatted(green, isLive(green))
                + ")";
    }

    private String isLive(String table) {
        return "coalesce((SELECT read_model FROM projection_positions WHERE name = '" + checkpoint + "'), '" + blue
                + "') = '" + table + "'";
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
    static void create(DataSource dataSource, String base) {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            for (String table : of(base)) {
                statement.execute("DROP TABLE IF EXISTS " + table);
                statement.execute("CREATE TABLE " + table + " (LIKE order_projections_blue INCLUDING ALL)");
            }
        } catch (SQLException e) {
            throw PostgresFailures.translate("create the read model tables of " + base, e);
        }
    }
}
