package dev.nanolab.tracking.csv;

import dev.nanolab.api.metrics.MetricsRecord;
import dev.nanolab.api.metrics.MetricsSink;
import dev.nanolab.api.metrics.MetricsWriter;
import dev.nanolab.api.metrics.RunInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
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
        return "metrics-" + type + ".csv";
    }

    @Override
    public MetricsWriter open(Path runDir, RunInfo run, long fromIteration) throws IOException {
        return new Writer(runDir, fromIteration);
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
            CsvTable t = tables.computeIfAbsent(record.type(), type -> {
                try {
                    return CsvTable.open(dir.resolve(fileName(type)), fromIteration);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot open " + dir.resolve(fileName(type)) + ": " + e.getMessage(), e);
                }
            });
            t.append(record);
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
