package dev.nanolab.training.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code metrics.jsonl} in the run folder: one JSON object per line, each with a {@code type} ("train", "eval",
 * "probe", ...) and an {@code iter}. Appended and flushed line by line, so a killed run keeps what it logged.
 */
public final class MetricsLog implements AutoCloseable {
    public static final String FILE = "metrics.jsonl";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final BufferedWriter out;

    private MetricsLog(BufferedWriter out) {
        this.out = out;
    }

    /**
     * Opens the log for appending. When resuming at {@code fromIter}, records of iterations at or after it are dropped
     * first: the resumed run computes them again, identically.
     */
    public static MetricsLog open(Path dir, long fromIter) throws IOException {
        Path file = dir.resolve(FILE);
        if (Files.exists(file)) {
            List<String> keep = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.isBlank()) continue;
                try {
                    if (JSON.readTree(line).path("iter").asLong(Long.MAX_VALUE) < fromIter) keep.add(line);
                } catch (IOException e) {
                    // A line cut off by a kill: drop it.
                }
            }
            Path tmp = dir.resolve(FILE + ".tmp");
            Files.write(tmp, keep, StandardCharsets.UTF_8);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return new MetricsLog(Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND));
    }

    public ObjectNode record(String type, long iter) {
        ObjectNode n = JSON.createObjectNode();
        n.put("type", type);
        n.put("iter", iter);
        return n;
    }

    public void write(ObjectNode record) {
        try {
            out.write(JSON.writeValueAsString(record));
            out.newLine();
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + FILE + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
