package org.pgeventstore.bootstrap;

import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Another live process holds the lock of the embedded data directory: this instance must not
 * start on it, and must not touch the PostgreSQL running there.
 */
public final class DataDirectoryInUse extends RuntimeException {

    private final Path dataDir;
    private final Path lockFile;
    private final OptionalLong holderPid;
    private final String holder;

    DataDirectoryInUse(Path dataDir, Path lockFile, OptionalLong holderPid) {
        super(message(dataDir, holderPid));
        this.dataDir = dataDir;
        this.lockFile = lockFile;
        this.holderPid = holderPid;
        this.holder = describe(holderPid);
    }

    private static String message(Path dataDir, OptionalLong pid) {
        return "the embedded PostgreSQL data directory " + dataDir + " is in use by another instance of the service ("
                + (pid.isPresent() ? "pid=" + pid.getAsLong() + ", " + describe(pid) : "pid unknown") + ")";
    }

    private static String describe(OptionalLong pid) {
        if (pid.isEmpty()) {
            return "unknown process";
        }
        return pid.getAsLong() == ProcessHandle.current().pid() ? "this very process"
                : ProcessHandle.of(pid.getAsLong()).flatMap(p -> p.info().command()).orElse("command unknown");
    }

    /** What the person starting the service should do about it. */
    public static String hint() {
        return "stop the other instance first, give this one a data directory of its own (EVENTSTORE_DATA_DIR), "
                + "or run every instance on one shared PostgreSQL (DATASOURCES_DEFAULT_URL)";
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path lockFile() {
        return lockFile;
    }

    public OptionalLong holderPid() {
        return holderPid;
    }

    /** The holder's executable, as far as this process can see it. */
    public String holder() {
        return holder;
    }
}
