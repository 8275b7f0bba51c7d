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

    private static final String INSERT_ONE = "INSERT INTO " + SCHEMA
            + ".events (position, event_id, stream_id, category, version, type, data, metadata) VALUES "
            + "((pg_current_xact_id()::text::bigint << 16), ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb)";
    // Many rows as arrays, unnested by the server: seven parameters whatever the number of rows, the
    // fastest of the formulations tried (a 700-parameter VALUES list parses and binds far more).
    private static final String INSERT_MANY = "INSERT INTO " + SCHEMA
            + ".events (position, event_id, stream_id, category, version, type, data, metadata) "
            + "SELECT (pg_current_xact_id()::text::bigint << 16) + (t.ord - 1), t.event_id, t.stream_id, t.category, "
            + "t.version, t.type, t.data::jsonb, t.metadata::jsonb "
            + "FROM unnest(?::uuid[], ?::text[], ?::text[], ?::bigint[], ?::text[], ?::text[], ?::text[]) "
            + "WITH ORDINALITY AS t(event_id, stream_id, category, version, type, data, metadata, ord)";

    @Override
    public String name() {
        return recheck ? "baseline again at the end: drift check"
                : "baseline: raw JDBC INSERTs into a copy of the events table";
    }

    @Override
    public List<Figure> run(BenchmarkContext context) throws Exception {
        List<Figure> figures = new ArrayList<>();
        try (Table table = table(context)) {
            if (recheck) {
                figures.add(measure(table, RECHECK_CLIENTS, 1, RECHECK_ID, "raw INSERT, 1 row per transaction, "
                        + RECHECK_CLIENTS + " clients, again after all cases"));
                return figures;
            }
            for (int clients : SINGLE_ROW_CLIENTS) {
                figures.add(measure(table, clients, 1, singleRowId(clients),
                        "raw INSERT, 1 row per transaction, " + clients + " client" + (clients == 1 ? "" : "s")));
            }
            figures.add(measure(table, BATCH_CLIENTS, BATCH_SIZE, batchId(),
                    "raw INSERT, 100 rows per transaction, " + BATCH_CLIENTS + " clients"));
        }
        return figures;
    }

    /**
     * The baseline's table, for this case and for one that measures its baselines between its own
     * rounds; dropped on close.
     */
    static Table table(BenchmarkContext context) throws SQLException {
        HikariDataSource admin = context.database().pool("baseline-admin", 1);
        try {
            createTable(admin);
        } catch (SQLException | RuntimeException e) {
            admin.close();
            throw e;
        }
        return new Table(context, admin);
    }

    /** An open baseline table. */
    static final class Table implements AutoCloseable {
        private final BenchmarkContext context;
        private final HikariDataSource admin;
        private int runs;

        private Table(BenchmarkContext context, HikariDataSource admin) {
            this.context = context;
            this.admin = admin;
        }

        /** One run of the raw INSERT: {@code rows} per transaction, {@code clients} connections. */
        Measurement measure(int clients, int rows) throws Exception {
            return BaselineInsertCase.run(context, clients, rows, "r" + ++runs);
        }

        @Override
        public void close() throws SQLException {
            try {
                dropTable(admin);
            } finally {
                admin.close();
            }
        }
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

    private static Figure measure(Table table, int clients, int rows, String id, String title) throws Exception {
        return Figure.measured(id, "baseline", title, "events/s", "transaction", table.measure(clients, rows),
                null, null, "the limit the store's appends are compared with");
    }

    private static Measurement run(BenchmarkContext context, int clients, int rows, String label) throws Exception {
        String statementText = rows == 1 ? INSERT_ONE : INSERT_MANY;
        context.database().checkpoint();
        try (HikariDataSource pool = context.database().pool("baseline-" + rows + "x" + clients, clients)) {
            List<Connection> connections = new ArrayList<>();
            try {
                return LoadDriver.run(clients, context.plan().warmup(), context.plan().measure(), index -> {
                    Connection connection = pool.getConnection();
                    connections.add(connection);
                    PreparedStatement insert = connection.prepareStatement(statementText);
                    String stream = "baseline-" + context.runId() + "-" + label + "-" + rows + "x" + clients + "-" + index;
                    long[] version = {0};
                    if (rows == 1) {
                        return () -> {
                            insert.setObject(1, UUID.randomUUID());
                            insert.setString(2, stream);
                            insert.setString(3, "baseline");
                            insert.setLong(4, ++version[0]);
                            insert.setString(5, EventShapes.TYPE);
                            insert.setString(6, EventShapes.DATA);
                            insert.setString(7, EventShapes.METADATA);
                            insert.executeUpdate();
                            return 1;
                        };
                    }
                    return () -> {
                        UUID[] ids = new UUID[rows];
                        String[] streams = new String[rows];
                        String[] categories = new String[rows];
                        Long[] versions = new Long[rows];
                        String[] types = new String[rows];
                        String[] data = new String[rows];
                        String[] metadata = new String[rows];
                        for (int i = 0; i < rows; i++) {
                            ids[i] = UUID.randomUUID();
                            streams[i] = stream;
                            categories[i] = "baseline";
                            versions[i] = ++version[0];
                            types[i] = EventShapes.TYPE;
                            data[i] = EventShapes.DATA;
                            metadata[i] = EventShapes.METADATA;
                        }
                        insert.setArray(1, connection.createArrayOf("uuid", ids));
                        insert.setArray(2, connection.createArrayOf("text", streams));
                        insert.setArray(3, connection.createArrayOf("text", categories));
                        insert.setArray(4, connection.createArrayOf("bigint", versions));
                        insert.setArray(5, connection.createArrayOf("text", types));
                        insert.setArray(6, connection.createArrayOf("text", data));
                        insert.setArray(7, connection.createArrayOf("text", metadata));
                        insert.executeUpdate();
                        return rows;
                    };
                });
            } finally {
                for (Connection connection : connections) {
                    connection.close();
                }
            }
        }
    }
}
