package org.pgeventstore.adapters.postgres.projection;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The two tables of one read model, {@code <base>_blue} and {@code <base>_green}, of the same
 * shape: the checkpoint row ({@code projection_positions.read_model}) names the live one, a
 * rebuild fills the other, and the swap is an update of that row, never DDL (see V7 and ADR 5).
 * What the rows look like is the read model's own business ({@link ReadModelWriter}).
 */
public final class ReadModelTables {

    private static final Pattern BASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,50}");
    private static final Pattern CHECKPOINT_NAME = Pattern.compile("[a-z0-9_-]{1,60}");

    private final String base;
    private final String blue;
    private final String green;
    private final String checkpoint;

    /**
     * @param base the read model's name: its tables are {@code <base>_blue} and {@code <base>_green}
     * @param checkpoint the checkpoint whose row names the live table
     */
    public ReadModelTables(String base, String checkpoint) {
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
    public static List<String> of(String base) {
        return List.of(base + "_blue", base + "_green");
    }

    public String base() {
        return base;
    }

    /** The checkpoint whose row names the live table. */
    public String checkpoint() {
        return checkpoint;
    }

    /** The same tables, as named by another checkpoint (a rebuild's). */
    public ReadModelTables forCheckpoint(String otherCheckpoint) {
        return new ReadModelTables(base, otherCheckpoint);
    }

    /** The table a checkpoint row names as live: blue when it names none (a checkpoint made before V7). */
    public String live(String readModel) {
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
    public String other(String live) {
        return live(live).equals(blue) ? green : blue;
    }

    /**
     * One query over the live table, picked in the same statement (so in the same snapshot) as the
     * rows: {@code perTable} has {@code %1$s} for a table and {@code %2$s} for the condition that it
     * is the live one; the other branch returns nothing without being scanned. Its parameters are
     * bound twice, once per branch.
     */
    public String overLive(String perTable) {
        return "(" + perTable.formatted(blue, isLive(blue)) + ")\nUNION ALL\n(" + perTable.formatted(green, isLive(green))
                + ")";
    }

    private String isLive(String table) {
        return "coalesce((SELECT read_model FROM projection_positions WHERE name = '" + checkpoint + "'), '" + blue
                + "') = '" + table + "'";
    }
}
