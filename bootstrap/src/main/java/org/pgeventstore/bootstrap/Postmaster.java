package org.pgeventstore.bootstrap;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The PostgreSQL server process of a data directory: the process that {@code postmaster.pid}
 * names, if it is alive and really is a PostgreSQL server on that directory. A stale pid file
 * whose pid now belongs to another program (after a reboot, say) names no postmaster.
 */
final class Postmaster {

    private static final Path PROC = Path.of("/proc");

    private Postmaster() {
    }

    /** The live postmaster running on {@code dataDir}, if any. */
    static Optional<ProcessHandle> of(Path dataDir) {
        Path pidFile = dataDir.resolve("postmaster.pid");
        List<String> lines;
        try {
            lines = Files.exists(pidFile) ? Files.readAllLines(pidFile) : List.of();
        } catch (IOException unreadable) {
            return Optional.empty();
        }
        if (lines.isEmpty()) {
            return Optional.empty();
        }
        return parsePid(lines.getFirst()).flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive)
                .filter(process -> runsOn(process, dataDir));
    }

    /*
     * PostgreSQL changes into its data directory at start, and so do the processes it forks; /proc
     * tells a process's working directory on Linux. Elsewhere, fall back to the command's name.
     */
    private static boolean runsOn(ProcessHandle process, Path dataDir) {
        Optional<Path> cwd = workingDirectory(process);
        if (cwd.isPresent()) {
            return cwd.get().equals(realPath(dataDir));
        }
        return process.info().command().map(c -> c.contains("postgres")).orElse(false);
    }

    private static Optional<Path> workingDirectory(ProcessHandle process) {
        Path link = PROC.resolve(Long.toString(process.pid())).resolve("cwd");
        try {
            return Files.exists(PROC) ? Optional.of(Files.readSymbolicLink(link)) : Optional.empty();
        } catch (IOException | UnsupportedOperationException | SecurityException unknown) {
            return Optional.empty();
        }
    }

    private static Path realPath(Path dataDir) {
        try {
            return dataDir.toRealPath();
        } catch (IOException e) {
            return dataDir;
        }
    }

    /**
     * Whether a PostgreSQL process still has {@code dataDir} as its working directory: after the postmaster
     * died, its backends linger for a moment and keep the old shared memory, and a new server
     * refuses to start until they are gone. Unknown (false) where /proc does not say.
     */
    static boolean processesLeftIn(Path dataDir) {
        if (!Files.exists(PROC)) {
            return false;
        }
        Path directory = realPath(dataDir);
        return ProcessHandle.allProcesses()
                .filter(process -> process.info().command().map(c -> c.contains("postgres")).orElse(false))
                .anyMatch(process -> workingDirectory(process).map(directory::equals).orElse(false));
    }

    /**
     * Stops {@code process}: SIGTERM (a smart shutdown, enough for a server whose clients are gone),
     * then SIGKILL if it is still running after {@code graceSeconds}; the next start recovers from
     * the write-ahead log either way.
     */
    static void stop(ProcessHandle process, int graceSeconds) {
        process.destroy();
        try {
            process.onExit().get(graceSeconds, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException stillRunning) {
            process.destroyForcibly();
            process.onExit().join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private static Optional<Long> parsePid(String line) {
        try {
            return Optional.of(Long.parseLong(line.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
