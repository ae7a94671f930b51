package dev.nanolab.tracking;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.function.Predicate;

/** Line files in a run folder, rewritten atomically. */
public final class RunFiles {
    private RunFiles() {}

    /** Wall time in seconds since the epoch to the millisecond, which prints plainly (1765004400.125, not 1.765E9). */
    public static BigDecimal seconds(double time) {
        return BigDecimal.valueOf(Math.round(time * 1000), 3);
    }

    /**
     * Keeps the lines of {@code file} that {@code keep} accepts (blank lines go), replacing the file atomically, so a
     * kill during the rewrite leaves either the old or the new file. Does nothing when the file does not exist.
     */
    public static void filterLines(Path file, Predicate<String> keep) throws IOException {
        if (!Files.exists(file)) return;
        List<String> kept = Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                .filter(l -> !l.isBlank() && keep.test(l)).toList();
        writeLines(file, kept);
    }

    /** Writes {@code lines} to {@code file} through a temporary file beside it and an atomic move. */
    public static void writeLines(Path file, List<String> lines) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, lines, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
