package dev.nanolab.training.train;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * One writer per run folder: an OS file lock on {@code OUT_DIR/.nanolab.lock}, held for the run's life, the file
 * holding the holder's pid. The operating system drops the lock when its process dies, even by {@code kill -9}, so a
 * stale lock file never blocks a resume; only a live run does.
 *
 * <p>Whoever holds the lock may also clean up: {@link #acquire} deletes the {@code *.tmp} files a killed run left in
 * the folder (a half-written checkpoint or metrics rewrite), which no live run can be writing.
 */
public final class RunLock implements AutoCloseable {
    public static final String FILE = ".nanolab.lock";

    /** Another live process (or this one) holds the folder. */
    public static final class InUseException extends IllegalStateException {
        public InUseException(String message) {
            super(message);
        }
    }

    private final FileChannel channel;
    private final FileLock lock;
    private final List<Path> removed;

    private RunLock(FileChannel channel, FileLock lock, List<Path> removed) {
        this.channel = channel;
        this.lock = lock;
        this.removed = removed;
    }

    /**
     * Locks a run folder (creating it), or fails at once.
     *
     * @param what how the folder is named in messages, e.g. "out_dir"
     * @throws InUseException naming the folder and the holder's pid when another run holds it
     * @throws IOException    when the folder or the lock file cannot be created
     */
    public static RunLock acquire(Path dir, String what) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(FILE);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            ch.close();
            throw new InUseException(what + " " + dir + " is in use by another run in this process (pid " + ProcessHandle.current().pid()
                    + "); one run per folder");
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        if (lock == null) {
            String holder = holder(ch);
            ch.close();
            throw new InUseException(what + " " + dir + " is in use by another nanolab run (" + holder + ", lock " + file
                    + "); wait for it to end or choose another " + what);
        }
        try {
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            ch.force(false);
            return new RunLock(ch, lock, removeLeftovers(dir));
        } catch (IOException | RuntimeException e) {
            lock.release();
            ch.close();
            throw e;
        }
    }

    private static String holder(FileChannel ch) {
        try {
            ByteBuffer b = ByteBuffer.allocate(64);
            ch.read(b, 0);
            String s = new String(b.array(), 0, b.position(), StandardCharsets.UTF_8).strip();
            return s.startsWith("pid ") ? s : "pid unknown";
        } catch (IOException e) {
            return "pid unknown";
        }
    }

    /** Deletes the {@code *.tmp} files directly in a folder; returns what it deleted. */
    static List<Path> removeLeftovers(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(p -> p.getFileName().toString().endsWith(".tmp") && Files.isRegularFile(p)).toList()) {
                Files.deleteIfExists(p);
                out.add(p);
            }
        }
        return out;
    }

    /** The temporary files a killed run had left, deleted when the lock was taken. */
    public List<Path> removedLeftovers() {
        return removed;
    }

    @Override
    public void close() throws IOException {
        try {
            if (lock.isValid()) lock.release();
        } finally {
            channel.close();
        }
    }
}
