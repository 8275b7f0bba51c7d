package org.pgeventstore.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The machine and server the figures were taken on: without them a figure means nothing. */
public record Machine(int cpus, String cpuModel, String memory, String os, String jdk, String database,
                      Map<String, String> postgres) {

    static Machine describe(BenchmarkDatabase database) throws Exception {
        return new Machine(Runtime.getRuntime().availableProcessors(), readCpuModel().orElse("unknown"),
                readMemory().orElse("unknown"), System.getProperty("os.name") + " " + System.getProperty("os.version"),
                System.getProperty("java.vm.vendor") + " " + Runtime.version(), database.description(),
                database.serverFacts());
    }

    String summary() {
        return cpus + " CPUs (" + cpuModel + "), " + memory + " RAM, " + os + ", JDK " + jdk + ", PostgreSQL "
                + postgres.getOrDefault("server_version", "?") + " (fsync " + postgres.get("fsync")
                + ", synchronous_commit " + postgres.get("synchronous_commit") + ")";
    }

    private static Optional<String> readCpuModel() {
        return procLine("/proc/cpuinfo", "model name").map(line -> line.substring(line.indexOf(':') + 1).trim());
    }

    private static Optional<String> readMemory() {
        return procLine("/proc/meminfo", "MemTotal").map(line -> {
            long kib = Long.parseLong(line.replaceAll("[^0-9]", ""));
            return String.format(Locale.ROOT, "%.1f GiB", kib / 1024.0 / 1024.0);
        });
    }

    private static Optional<String> procLine(String file, String prefix) {
        try {
            return Files.readAllLines(Path.of(file)).stream().filter(line -> line.startsWith(prefix)).findFirst();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
