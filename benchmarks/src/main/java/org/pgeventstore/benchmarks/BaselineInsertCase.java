package org.pgeventstore.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * PostgreSQL's own limit for appends on this server: raw JDBC INSERTs of event-shaped rows into
 * a copy of the {@code events} table (same columns, constraints and indexes; created in its own
 * schema and dropped afterwards), each client on its own connection with one prepared statement
 * and its own stream, one transaction per statement. No function, no version check: what is left
 * is the cost of writing and committing the rows.
 */
final class BaselineInsertCase implements BenchmarkCase {

    static final String SCHEMA = "benchmark_baseline";
    static final List<Integer> SINGLE_ROW_CLIENTS = List.of(1, 8, 32);
    static final int BATCH_CLIENTS = 8;
    static final int BATCH_SIZE = 100;

    static String singleRowId(int clients) {
        return "baseline.insert.1row.c" + clients;
    }

    /** The 8-client single-row baseline measured again after every case, to show how far the machine drifted. */
    static final String RECHECK_ID = "baseline.insert.1row.c8.end";
    private static final int RECHECK_CLIENTS = 8;

    private final boolean recheck;

    private BaselineInsertCase(boolean recheck) {
        this.recheck = recheck;
    }

    /** The baseline proper, measured before any case. */
    static BaselineInsertCase first() {
        return new BaselineInsertCase(false);
    }

    /** The drift check, measured after every case. */
    static BaselineInsertCase recheck() {
        return new BaselineInsertCase(true);
    }

    static String batchId() {
        return "baseline.insert.100rows.c" + BATCH_CLIENTS;
    }

    private static final String ROW = "((pg_current_xact_id()::text::bigint << 16) + %d, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb)";
    private static final String INSERT = "INSERT INTO " + SCHEMA
            + ".events (position, event_id, stream_id, category, version, type, data, metadata) VALUES ";

    @Override
    public String name() {
        return recheck ? "baseline again at the end: drift check"
                : "baseline: raw JDBC INSERTs into a copy of the events table";
    }

    @Override
    public List<Figure> run(BenchmarkContext context) throws Exception {
        List<Figure> figures = new ArrayList<>();
        try (HikariDataSource admin = context.database().pool("baseline-admin", 1)) {
            createTable(admin);
            try {
                if (recheck) {
                    figures.add(measure(context, RECHECK_CLIENTS, 1, RECHECK_ID, "raw INSERT, 1 row per transaction, "
                            + RECHECK_CLIENTS + " clients, again after all cases"));
                    return figures;
                }
                for (int clients : SINGLE_ROW_CLIENTS) {
                    figures.add(measure(context, clients, 1, singleRowId(clients),
                            "raw INSERT, 1 row per transaction, " + clients + " client" + (clients == 1 ? "" : "s")));
                }
                figures.add(measure(context, BATCH_CLIENTS, BATCH_SIZE, batchId(),
                        "raw INSERT, 100 rows per transaction, " + BATCH_CLIENTS + " clients"));
            } finally {
                dropTable(admin);
            }
        }
        return figures;
    }

    private static void createTable(HikariDataSource admin) throws SQLException {
        try (Connection connection = admin.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            statement.execute("CREATE SCHEMA " + SCHEMA);
            // Columns, defaults, constraints and indexes of the store's table; its triggers fire
            // only on UPDATE, DELETE and TRUNCATE, which the baseline never does.
            statement.execute("CREATE TABLE " + SCHEMA + ".events (LIKE " + storeTable(statement) + " INCLUDING ALL)");
        }
    }

    private static String storeTable(Statement statement) throws SQLException {
        try (var rows = statement.executeQuery("SELECT to_regclass('events')::text")) {
            rows.next();
            String table = rows.getString(1);
            if (table == null) {
                throw new IllegalStateException("the events table is missing: the migrations did not run");
            }
            return table;
        }
    }

    private static void dropTable(HikariDataSource admin) throws SQLException {
        try (Connection connection = admin.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        }
    }

    private static Figure measure(BenchmarkContext context, int clients, int rows, String id, String title)
            throws Exception {
        StringBuilder sql = new StringBuilder(INSERT);
        for (int i = 0; i < rows; i++) {
            sql.append(i == 0 ? "" : ", ").append(ROW.formatted(i));
        }
        String statementText = sql.toString();
        context.database().checkpoint();
        try (HikariDataSource pool = context.database().pool("baseline-" + rows + "x" + clients, clients)) {
            List<Connection> connections = new ArrayList<>();
            try {
                Measurement m = LoadDriver.run(clients, context.plan().warmup(), context.plan().measure(), index -> {
                    Connection connection = pool.getConnection();
                    connections.add(connection);
                    PreparedStatement insert = connection.prepareStatement(statementText);
                    String stream = "baseline-" + context.runId() + "-" + rows + "x" + clients + "-" + index;
                    long[] version = {0};
                    return () -> {
                        int p = 1;
                        for (int i = 0; i < rows; i++) {
                            insert.setObject(p++, UUID.randomUUID());
                            insert.setString(p++, stream);
                            insert.setString(p++, "baseline");
                            insert.setLong(p++, ++version[0]);
                            insert.setString(p++, EventShapes.TYPE);
                            insert.setString(p++, EventShapes.DATA);
                            insert.setString(p++, EventShapes.METADATA);
                        }
                        insert.executeUpdate();
                        return rows;
                    };
                });
                return Figure.measured(id, "baseline", title, "events/s", "transaction", m, null, null,
                        "the limit the store's appends are compared with");
            } finally {
                for (Connection connection : connections) {
                    connection.close();
                }
            }
        }
    }
}
