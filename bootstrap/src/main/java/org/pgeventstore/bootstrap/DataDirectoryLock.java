package org.pgeventstore.bootstrap;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An instance's claim on an embedded data directory, held for the instance's whole life: an
 * exclusive OS lock on the file {@code <dataDir>.lock} beside the directory, which records the
 * holder's pid. The operating system drops the lock when the process ends, however it ends
 * (SIGKILL included), so the lock can be taken exactly when no live instance owns the directory.
 * That is what makes a PostgreSQL found running there an orphan.
 */
final class DataDirectoryLock implements AutoCloseable {

    /*
     * POSIX record locks belong to the process: a second channel on the same file in this JVM
     * neither sees the lock as taken nor may be closed without dropping it. So this JVM's own
     * claims are kept here, and a second claim is refused before the file is even opened.
     */
    private static final Set<Path> HELD_BY_THIS_PROCESS = ConcurrentHashMap.newKeySet();

    private final Path lockFile;
    private final FileChannel channel;
    private final FileLock lock;

    private DataDirectoryLock(Path lockFile, FileChannel channel, FileLock lock) {
        this.lockFile = lockFile;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock of {@code dataDir} (an absolute, normalised path whose parent exists).
     *
     * @throws DataDirectoryInUse if another live process, or this one, holds it
     */
    static DataDirectoryLock acquire(Path dataDir) {
        Path lockFile = dataDir.resolveSibling(dataDir.getFileName() + ".lock");
        long self = ProcessHandle.current().pid();
        if (!HELD_BY_THIS_PROCESS.add(lockFile)) {
            throw new DataDirectoryInUse(dataDir, lockFile, OptionalLong.of(self));
        }
        try {
            FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock = tryLock(channel);
            if (lock == null) {
                OptionalLong holder = recordedPid(channel);
                channel.close();
                throw new DataDirectoryInUse(dataDir, lockFile, holder);
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((self + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            channel.force(true);
            return new DataDirectoryLock(lockFile, channel, lock);
        } catch (IOException e) {
            HELD_BY_THIS_PROCESS.remove(lockFile);
            throw new UncheckedIOException("could not lock " + lockFile + " (the embedded data directory's lock): "
                    + e.getMessage(), e);
        } catch (RuntimeException e) {
            HELD_BY_THIS_PROCESS.remove(lockFile);
            throw e;
        }
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (IOException | OverlappingFileLockException e) {
            channel.close();
            throw e;
        }
    }

    private static OptionalLong recordedPid(FileChannel channel) throws IOException {
        ByteBuffer content = ByteBuffer.allocate(64);
        channel.read(content, 0);
        String text = new String(content.array(), 0, content.position(), StandardCharsets.US_ASCII).strip();
        try {
            return OptionalLong.of(Long.parseLong(text.lines().findFirst().orElse("")));
        } catch (NumberFormatException unreadable) {
            // The holder has the lock but has not written its pid yet.
            return OptionalLong.empty();
        }
    }

    Path lockFile() {
        return lockFile;
    }

    /** Releases the claim; the file stays, since another process may already be waiting to lock it. */
    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("could not release " + lockFile, e);
        } finally {
            HELD_BY_THIS_PROCESS.remove(lockFile);
        }
    }
}
