package dev.nanolab.tracking.jsonl;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nanolab.api.metrics.MetricsRecord;
import dev.nanolab.api.metrics.MetricsSink;
import dev.nanolab.api.metrics.MetricsWriter;
import dev.nanolab.api.metrics.RunInfo;
import dev.nanolab.api.probe.Histogram;
import dev.nanolab.tracking.RunFiles;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * {@code metrics.jsonl} in the run folder: one JSON object per line, {@code {"type":..,"iter":..,"time":.., values}},
 * appended and flushed line by line, so a killed run keeps what it logged. {@code report} and {@code compare} read
 * it, so every run writes it. {@code time} is seconds since the epoch, to the millisecond, written plainly. A histogram is {@code {"edges":[..],"counts":[..]}}; each session starts with a
 * {@code run} record (name, host, nanolab_version, git_commit when known, config).
 */
public final class JsonlSink implements MetricsSink {
    public static final String FILE = "metrics.jsonl";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public MetricsWriter open(Path runDir, RunInfo run, long fromIteration) throws IOException {
        Path file = runDir.resolve(FILE);
        // Resuming at fromIteration: records of iterations at or after it are computed again, identically.
        RunFiles.filterLines(file, line -> iterationOf(line) < fromIteration);
        Writer w = new Writer(file, Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND));
        w.write(runRecord(run, fromIteration));
        return w;
    }

    /** The iteration of a line, or MAX_VALUE for a line cut off by a kill (dropped on resume). */
    private static long iterationOf(String line) {
        try {
            return JSON.readTree(line).path(MetricsRecord.ITER).asLong(Long.MAX_VALUE);
        } catch (IOException e) {
            return Long.MAX_VALUE;
        }
    }

    static MetricsRecord runRecord(RunInfo run, long fromIteration) {
        var b = MetricsRecord.of("run", fromIteration, run.startSeconds())
                .put("name", run.name()).put("host", run.host()).put("nanolab_version", run.nanolabVersion());
        run.gitCommit().ifPresent(c -> b.put("git_commit", c));
        return b.put("config", run.config()).build();
    }

    /** The JSON object of a record, as it appears on its line. */
    public static ObjectNode toJson(MetricsRecord r) {
        ObjectNode n = JSON.createObjectNode();
        n.put(MetricsRecord.TYPE, r.type());
        n.put(MetricsRecord.ITER, r.iteration());
        n.put(MetricsRecord.TIME, RunFiles.seconds(r.time()));
        putAll(n, r.values());
        return n;
    }

    private static void putAll(ObjectNode n, Map<String, Object> values) {
        values.forEach((k, v) -> {
            switch (v) {
                case null -> n.putNull(k);
                case Double d -> n.put(k, d.doubleValue());
                case Float f -> n.put(k, f.floatValue());
                case Long l -> n.put(k, l.longValue());
                case Integer i -> n.put(k, i.intValue());
                case Boolean b -> n.put(k, b.booleanValue());
                case String s -> n.put(k, s);
                case Histogram h -> {
                    ObjectNode o = n.putObject(k);
                    ArrayNode edges = o.putArray("edges");
                    for (double e : h.edges()) edges.add(e);
                    ArrayNode counts = o.putArray("counts");
                    for (long c : h.counts()) counts.add(c);
                }
                case Map<?, ?> m -> {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> nested = (Map<String, Object>) m;
                    putAll(n.putObject(k), nested);
                }
                default -> throw new IllegalArgumentException(k + ": cannot write a " + v.getClass().getName());
            }
        });
    }

    private static final class Writer implements MetricsWriter {
        private final Path file;
        private final BufferedWriter out;

        Writer(Path file, BufferedWriter out) {
            this.file = file;
            this.out = out;
        }

        @Override
        public void write(MetricsRecord record) {
            try {
                out.write(JSON.writeValueAsString(toJson(record)));
                out.newLine();
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
            }
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
