package org.pgeventstore.benchmarks;

import java.io.PrintStream;
import java.util.List;

/** The results as a table for a terminal: every figure beside its baseline ratio and target. */
final class ResultTable {

    private static final String ROW = "%-66s %7s %6s %14s %-11s %8s %8s %8s %8s  %s%n";

    private ResultTable() {
    }

    static void print(PrintStream out, RunPlan plan, Machine machine, PgLimit pgLimit, List<Figure> figures) {
        out.println();
        out.println("pg-eventstore benchmarks, " + plan.mode() + " mode: warm-up " + plan.warmup().toSeconds()
                + " s, then " + plan.measure().toSeconds() + " s measured per case (load-time curve: "
                + plan.loadBudget().toSeconds() + " s per size, at least 2 loads)");
        out.println("machine: " + machine.summary());
        out.println("database: " + machine.database());
        out.println();
        out.println("PostgreSQL's own limit on this server: raw JDBC, measured first in this run");
        out.printf(ROW, "baseline", "clients", "run s", "throughput", "unit", "p50 ms", "p95 ms", "p99 ms", "", "");
        figures.stream().filter(f -> f.group().equals("baseline")).forEach(f -> row(out, f, null));
        out.println();
        out.println("pg-eventstore");
        out.printf(ROW, "case", "clients", "run s", "throughput", "unit", "p50 ms", "p95 ms", "p99 ms", "vs base",
                "target");
        figures.stream().filter(f -> !f.group().equals("baseline")).forEach(f -> row(out, f, figures));
        out.println();
        printInterleaved(out, figures);
        out.println("vs base: throughput divided by its baseline's, raw JDBC on the same server in this run: appends of 1 event");
        out.println("  by the 1-row INSERT at the same client count, of 100 events by the 100-row INSERT, loads by the raw SELECT");
        out.println("  of the same stream, the feed by the raw paged SELECT, HTTP commands by the 1-row INSERT at the same client count,");
        out.println("  the wrk runs by pgbench's 1-row INSERT at 8 clients run around them, the projection catch-up by the feed");
        out.println("  read of the same events run around it.");
        Double first = throughputOf(figures, BaselineInsertCase.singleRowId(8));
        Double last = throughputOf(figures, BaselineInsertCase.RECHECK_ID);
        if (first != null && last != null && first > 0) {
            out.printf("drift: the 8-client raw INSERT did %s events/s first and %s at the end (%+.0f%%); ratios are only as"
                    + " steady as this%n", Numbers.count(first), Numbers.count(last), (last / first - 1) * 100);
        }
        if ("measured".equals(pgLimit.status())) {
            out.printf("pgbench (pg-limit.sh, %d clients, %d s): single-row INSERT %s tx/s, 100-row INSERT %s events/s%n",
                    pgLimit.clients(), pgLimit.seconds(), Numbers.count(pgLimit.singleInsertTps()),
                    Numbers.count(pgLimit.batch100EventsPerSecond()));
            printBeside(out, figures, BaselineInsertCase.singleRowId(PgLimit.CLIENTS), "append.1event.distinct.w8",
                    pgLimit.singleInsertTps(), "single-row, 8 clients");
            printBeside(out, figures, BaselineInsertCase.batchId(), "append.100events.distinct.w8",
                    pgLimit.batch100EventsPerSecond(), "100-row, 8 clients");
        } else {
            out.println("pgbench (pg-limit.sh): " + pgLimit.status());
        }
    }

    private static void row(PrintStream out, Figure f, List<Figure> all) {
        if (f.status() != Figure.Status.MEASURED) {
            out.printf("%-66s %s%n", f.title(), f.note() + (f.targetText() == null ? "" : " (target " + f.targetText() + ")"));
            return;
        }
        out.printf(ROW, f.title(), f.clients(), Numbers.seconds(f.seconds()), Numbers.count(f.throughput()), f.unit(),
                Numbers.millis(f.p50Ms()), Numbers.millis(f.p95Ms()), Numbers.millis(f.p99Ms()),
                f.ratio() == null ? "" : Numbers.ratio(f.ratio()), all == null ? "" : targetCell(f));
        if (f.errors() != null && f.errors() > 0) {
            out.println("      " + f.note());
        }
    }

    /** For each case run between its baselines: every round, the baselines around them, the spread of the ratios. */
    private static void printInterleaved(PrintStream out, List<Figure> figures) {
        List<Figure> interleaved = figures.stream().filter(f -> f.interleaving() != null).toList();
        if (interleaved.isEmpty()) {
            return;
        }
        out.println("interleaved: each case ran in rounds between baselines (JDBC, pgbench, case, ..., JDBC, pgbench);");
        out.println("  a round's ratio is its throughput over the mean of the two baselines around it; median [lowest - highest]");
        for (Figure f : interleaved) {
            Interleaving i = f.interleaving();
            boolean pgbenchOnly = HttpWrkCase.BASELINE_ID.equals(f.baselineId());
            boolean feedRead = ProjectionCase.FEED_OF_CATCH_UP_ID.equals(f.baselineId());
            out.printf("  %-58s %s %s [%s - %s] in %d round%s; vs %s %s [%s - %s] (baselines %s)%s%n", f.title(),
                    Numbers.count(i.medianThroughput()), f.unit(), Numbers.count(i.throughputMin()),
                    Numbers.count(i.throughputMax()), i.rounds(), i.rounds() == 1 ? "" : "s",
                    pgbenchOnly ? "pgbench" : feedRead ? "the feed read" : "JDBC", Numbers.ratio(i.medianRatio()),
                    Numbers.ratio(i.ratioMin()), Numbers.ratio(i.ratioMax()), Numbers.counts(i.baselines()),
                    pgbenchOnly || feedRead ? "" : i.medianPgbenchRatio() == null ? "; pgbench not run"
                            : "; vs pgbench " + Numbers.ratio(i.medianPgbenchRatio()) + " (pgbench " + Numbers.counts(i.pgbench()) + ")");
        }
        out.println();
    }

    private static void printBeside(PrintStream out, List<Figure> figures, String baselineId, String storeId,
                                    double pgbench, String label) {
        Double jdbc = figures.stream().filter(f -> f.id().equals(baselineId)).findFirst().map(Figure::throughput).orElse(null);
        Double store = figures.stream().filter(f -> f.id().equals(storeId)).findFirst().map(Figure::throughput).orElse(null);
        if (jdbc != null && store != null && pgbench > 0) {
            out.printf("  %-22s events/s: pgbench %s, raw JDBC %s (%s of pgbench), store %s (%s of pgbench)%n", label,
                    Numbers.count(pgbench), Numbers.count(jdbc), Numbers.ratio(jdbc / pgbench), Numbers.count(store),
                    Numbers.ratio(store / pgbench));
        }
    }

    private static Double throughputOf(List<Figure> figures, String id) {
        return figures.stream().filter(f -> f.id().equals(id) && f.throughput() != null).findFirst()
                .map(Figure::throughput).orElse(null);
    }

    private static String targetCell(Figure f) {
        if (f.target() == null) {
            return "";
        }
        return (Boolean.TRUE.equals(f.targetMet()) ? "met " : Boolean.FALSE.equals(f.targetMet()) ? "MISSED " : "")
                + "(" + f.targetText() + ")";
    }
}
