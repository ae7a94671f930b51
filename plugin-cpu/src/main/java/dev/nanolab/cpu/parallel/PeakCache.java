package dev.nanolab.cpu.parallel;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;

/**
 * The highest FMA peak each CPU (model, vector width, thread count) has shown, kept across runs in
 * {@code peak-flops.properties} under nanolab's cache folder ({@code $NANOLAB_CACHE_DIR}, else
 * {@code $XDG_CACHE_HOME/nanolab}, else {@code ~/.cache/nanolab}). A measurement on a busy machine comes out low; the
 * running maximum does not, so MFU quoted against it stays below 100% and comparable from run to run.
 */
public final class PeakCache {
    private final Path file;

    public PeakCache(Path file) {
        this.file = file;
    }

    /** The cache in nanolab's cache folder. */
    public static PeakCache standard() {
        String dir = System.getenv("NANOLAB_CACHE_DIR");
        if (dir == null || dir.isBlank()) {
            String xdg = System.getenv("XDG_CACHE_HOME");
            dir = (xdg == null || xdg.isBlank() ? System.getProperty("user.home") + "/.cache" : xdg) + "/nanolab";
        }
        return new PeakCache(Path.of(dir, "peak-flops.properties"));
    }

    public Path file() {
        return file;
    }

    /**
     * max(measured, the cached figure for {@code key}); the cache is updated when the measurement is higher. An
     * unreadable or unwritable cache only loses the memory, never the run.
     */
    public synchronized double best(String key, double measured) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        } catch (IOException | IllegalArgumentException e) {
            // no cache yet, or a damaged one: start over
        }
        double cached = 0;
        try {
            cached = Double.parseDouble(p.getProperty(key, "0"));
        } catch (NumberFormatException e) {
            // a damaged entry counts as none
        }
        if (measured <= cached) return cached;
        p.setProperty(key, Double.toString(measured));
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), "peak-flops", ".tmp");
            try (Writer w = Files.newBufferedWriter(tmp)) {
                p.store(w, "highest FMA peak seen per CPU, FLOP/s (nanolab; safe to delete)");
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // read-only home: the measurement still serves this run
        }
        return measured;
    }

    /** The key of this CPU: its model name, vector width and thread count. */
    public static String cpuKey(int threads, int vectorBits) {
        String model = "unknown";
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo")))
                if (line.startsWith("model name")) {
                    model = line.substring(line.indexOf(':') + 1).strip();
                    break;
                }
        } catch (IOException | RuntimeException e) {
            model = System.getProperty("os.arch");
        }
        return (model + " " + vectorBits + "-bit x" + threads).replaceAll("[^A-Za-z0-9@.+_-]", "_");
    }
}
