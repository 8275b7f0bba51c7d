package org.pgeventstore.benchmarks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What every case of one run shares: the plan, the server, the output directory and the figures so far. */
final class BenchmarkContext {

    private final RunPlan plan;
    private final BenchmarkDatabase database;
    private final Path outputDir;
    private final Path serviceJar;
    private final String runId;
    private final Path pgLimitScript;
    private final List<Figure> figures = new ArrayList<>();

    BenchmarkContext(RunPlan plan, BenchmarkDatabase database, Path outputDir, Path serviceJar, String runId,
                     Path pgLimitScript) {
        this.plan = plan;
        this.database = database;
        this.outputDir = outputDir;
        this.serviceJar = serviceJar;
        this.runId = runId;
        this.pgLimitScript = pgLimitScript;
    }

    /** pg-limit.sh, whose pgbench runs are a second baseline where pgbench exists. */
    Path pgLimitScript() {
        return pgLimitScript;
    }

    RunPlan plan() {
        return plan;
    }

    BenchmarkDatabase database() {
        return database;
    }

    Path outputDir() {
        return outputDir;
    }

    Path serviceJar() {
        return serviceJar;
    }

    /** Unique per run, so that streams written by one run never meet another run's on an existing server. */
    String runId() {
        return runId;
    }

    void add(List<Figure> more) {
        figures.addAll(more);
    }

    List<Figure> figures() {
        return List.copyOf(figures);
    }

    Optional<Figure> figure(String id) {
        return figures.stream().filter(f -> f.id().equals(id)).findFirst();
    }

    /** The baseline figure a case compares with; it was measured earlier in this run. */
    Figure baseline(String id) {
        return figure(id).orElseThrow(() -> new IllegalStateException("baseline " + id + " was not measured before use"));
    }
}
