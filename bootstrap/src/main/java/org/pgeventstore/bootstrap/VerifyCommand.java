package org.pgeventstore.bootstrap;

import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import org.pgeventstore.adapters.http.ApiJson;
import org.pgeventstore.application.projection.ProjectionInfo;
import org.pgeventstore.application.projection.ProjectionOperations;
import org.pgeventstore.application.projection.ReconciliationReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code admin verify}: the log's invariants ({@link StreamIntegrity}) and every projection's read
 * model against a replay of its events (the reconciliation of
 * {@code POST /api/projections/{name}/reconciliation}). Exit status 1 when anything is wrong.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Checks every stream is numbered 1..N without gaps, no position is given twice, and every "
                + "projection's read model equals a replay of its events. Exit status 1 names what is wrong.")
public class VerifyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print the findings as one JSON document.")
    boolean json;

    @Inject
    DataSource dataSource;

    @Inject
    DatabaseTimeouts timeouts;

    @Inject
    ProjectionOperations projections;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        StreamIntegrity.Report log = new StreamIntegrity(
                BoundedDataSource.of(dataSource, timeouts.getAdminSocketTimeout())).check();
        List<String> problems = new ArrayList<>(log.problems());
        Map<String, Object> readModels = new LinkedHashMap<>();
        for (ProjectionInfo projection : projections.list()) {
            ReconciliationReport report = projections.reconcile(projection.name());
            readModels.put(projection.name(), Map.of("checkpoint", report.checkpoint(), "checked", report.checked(),
                    "mismatches", report.mismatches()));
            report.mismatches().forEach(mismatch -> problems.add("projection " + projection.name() + ": "
                    + mismatch.key() + " " + mismatch.problem()));
            if (!json) {
                out.printf("projection %s: %d checked as of position %d, %d mismatches%n", projection.name(),
                        report.checked(), report.checkpoint(), report.mismatches().size());
            }
        }
        if (json) {
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("consistent", problems.isEmpty());
            document.put("streams", log.streams());
            document.put("events", log.events());
            document.put("logProblems", log.problems());
            document.put("projections", readModels);
            out.println(ApiJson.write(document));
        } else {
            out.printf("log: %d streams, %d events, %d problems%n", log.streams(), log.events(), log.problems().size());
        }
        if (problems.isEmpty()) {
            if (!json) {
                out.println("consistent");
            }
            return 0;
        }
        problems.forEach(problem -> err.println("inconsistent: " + problem));
        err.println("verify found " + problems.size() + " problems" + (log.problems().size() >= StreamIntegrity.LIMIT
                ? " (the first " + StreamIntegrity.LIMIT + " of each kind in the log)" : "")
                + "; a read model is repaired by: admin rebuild <projection>");
        return 1;
    }
}
