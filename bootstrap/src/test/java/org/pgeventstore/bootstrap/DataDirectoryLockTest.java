package org.pgeventstore.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One holder at a time per data directory; the lock records who holds it. (Across processes: SecondInstanceIT.) */
class DataDirectoryLockTest {

    @TempDir
    Path workDir;

    @Test
    @DisplayName("the lock file beside the directory records the holder's pid, and a second claim is refused until release")
    void oneHolderAtATime() throws Exception {
        Path dataDir = workDir.resolve("postgres");
        long self = ProcessHandle.current().pid();
        try (DataDirectoryLock lock = DataDirectoryLock.acquire(dataDir)) {
            assertThat(lock.lockFile()).isEqualTo(workDir.resolve("postgres.lock"));
            assertThat(Files.readString(lock.lockFile()).strip()).isEqualTo(Long.toString(self));
            assertThatThrownBy(() -> DataDirectoryLock.acquire(dataDir))
                    .isInstanceOfSatisfying(DataDirectoryInUse.class, inUse -> {
                        assertThat(inUse.dataDir()).isEqualTo(dataDir);
                        assertThat(inUse.holderPid()).hasValue(self);
                    })
                    .hasMessageContaining(dataDir.toString()).hasMessageContaining("pid=" + self);
        }
        try (DataDirectoryLock again = DataDirectoryLock.acquire(dataDir)) {
            assertThat(again.lockFile()).exists();
        }
    }
}
