package org.pgeventstore.bootstrap;

import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.pgeventstore.adapters.http.admin.AdminController;
import org.pgeventstore.application.stats.StoreStatistics;
import org.pgeventstore.application.stats.StoreStats;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code admin stats}: the figures of {@code GET /api/admin/stats}. */
@Command(name = "stats", mixinStandardHelpOptions = true,
        description = "Events and streams by category and type, the largest streams, snapshots, and what holds the feed back.")
public class StatsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print the JSON document GET /api/admin/stats answers.")
    boolean json;

    @Inject
    StoreStatistics statistics;

    @Inject
    AdminController admin;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(admin.stats().body());
            return 0;
        }
        StoreStats stats = statistics.collect();
        out.printf("events %d, streams %d, snapshots %d (%.1f%% of streams have one)%n", stats.events(), stats.streams(),
                stats.snapshots(), stats.snapshotCoverage() * 100);
        out.println();
        out.printf("%-30s %12s %12s %10s%n", "CATEGORY", "STREAMS", "EVENTS", "SNAPSHOTS");
        for (StoreStats.Category category : stats.categories()) {
            out.printf("%-30s %12d %12d %10d%n", category.category(), category.streams(), category.events(),
                    category.snapshots());
        }
        out.println();
        out.printf("%-40s %12s%n", "EVENT TYPE", "EVENTS");
        stats.eventsByType().forEach((type, count) -> out.printf("%-40s %12d%n", type, count));
        out.println();
        out.printf("%-50s %12s%n", "LARGEST STREAMS", "VERSION");
        for (StoreStats.StreamSize stream : stats.largestStreams()) {
            out.printf("%-50s %12d%n", stream.streamId(), stream.version());
        }
        return 0;
    }
}
