package dev.nanolab.tracking.csv;

import dev.nanolab.api.metrics.MetricsRecord;
import dev.nanolab.api.metrics.MetricsSink;
import dev.nanolab.api.metrics.MetricsWriter;
import dev.nanolab.api.metrics.RunInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One CSV file per record type in the run folder: {@code metrics-train.csv}, {@code metrics-eval.csv},
 * {@code metrics-probe.csv}, ... Each starts with {@code iter,time} and then one column per value key, in the order
 * the keys first appeared (nested maps as {@code outer/inner}); a key that appears later widens the file (it is
 * rewritten with the new column, empty in earlier rows). A missing or null value is an empty cell. Histograms are
 * left out (they are in metrics.jsonl and TensorBoard). The run's info is in run.json beside it.
 */
public final class CsvSink implements MetricsSink {
    /** The file of a record type. */
    public static String fileName(String type) {
        return PREFIX + type + SUFFIX;
    }

    private static final String PREFIX = "metrics-", SUFFIX = ".csv";

    @Override
    public MetricsWriter open(Path runDir, RunInfo run, long fromIteration) throws IOException {
        Writer w = new Writer(runDir, fromIteration);
        // Every existing file drops its rows at and after the resume iteration now, not when its type next writes.
        try (var files = Files.list(runDir)) {
            for (Path f : files.sorted().toList()) {
                String name = f.getFileName().toString();
                if (name.startsWith(PREFIX) && name.endsWith(SUFFIX) && name.length() > PREFIX.length() + SUFFIX.length())
                    w.table(name.substring(PREFIX.length(), name.length() - SUFFIX.length()));
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return w;
    }

    private static final class Writer implements MetricsWriter {
        private final Path dir;
        private final long fromIteration;
        private final Map<String, CsvTable> tables = new LinkedHashMap<>();

        Writer(Path dir, long fromIteration) {
            this.dir = dir;
            this.fromIteration = fromIteration;
        }

        @Override
        public void write(MetricsRecord record) {
            table(record.type()).append(record);
        }

        CsvTable table(String type) {
            return tables.computeIfAbsent(type, t -> {
                try {
                    return CsvTable.open(dir.resolve(fileName(t)), fromIteration);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot open " + dir.resolve(fileName(t)) + ": " + e.getMessage(), e);
                }
            });
        }

        @Override
        public void flush() throws IOException {
            for (CsvTable t : tables.values()) t.flush();
        }

        @Override
        public void close() throws IOException {
            IOException first = null;
            for (CsvTable t : tables.values()) {
                try {
                    t.close();
                } catch (IOException e) {
                    if (first == null) first = e;
                }
            }
            if (first != null) throw first;
        }
    }
}
