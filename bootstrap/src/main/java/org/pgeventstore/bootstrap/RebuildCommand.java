package org.pgeventstore.bootstrap;

import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import org.pgeventstore.application.projection.ProjectionInfo;
import org.pgeventstore.application.projection.ProjectionOperations;
import org.pgeventstore.application.projection.ProjectionRebuild;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code admin rebuild <projection>}: the rebuild of {@code POST /api/projections/{name}/rebuild},
 * waited for to its end. It holds the same lease, so a rebuild running anywhere else is a refusal.
 */
@Command(name = "rebuild", mixinStandardHelpOptions = true,
        description = "Rebuilds a projection's read model from the whole feed and swaps it in; waits until it ends.")
public class RebuildCommand implements Callable<Integer> {

    private static final Duration POLL = Duration.ofMillis(200);

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "<projection>", description = "The projection's name, e.g. orders.")
    String name;

    @Inject
    ProjectionService projections;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            projections.rebuild(name);
        } catch (ProjectionOperations.UnknownProjection unknown) {
            err.println("error: no projection named " + name + "; projections are "
                    + projections.list().stream().map(ProjectionInfo::name).toList());
            return 1;
        } catch (ProjectionOperations.RebuildInProgress busy) {
            err.println("error: projection " + name + " is already being rebuilt by another instance; wait for it to end "
                    + "(GET /api/projections/" + name + " shows it) instead of starting a second one");
            return 1;
        }
        out.println("rebuilding " + name + " ...");
        out.flush();
        while (projections.isRebuilding()) {
            LockSupport.parkNanos(POLL.toNanos());
        }
        Optional<ProjectionRebuild> failed = projections.find(name).flatMap(ProjectionInfo::rebuild)
                .filter(rebuild -> rebuild.status() == ProjectionRebuild.Status.FAILED);
        if (failed.isPresent()) {
            err.println("error: the rebuild of " + name + " failed at position " + failed.get().position() + ": "
                    + failed.get().error().orElse("no reason recorded") + "; the live read model was left as it was");
            return 1;
        }
        ProjectionInfo done = projections.find(name).orElseThrow();
        out.println("rebuilt " + name + " up to position " + done.position());
        return 0;
    }
}
