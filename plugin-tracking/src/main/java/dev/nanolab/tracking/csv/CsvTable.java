package dev.nanolab.tracking.csv;

import dev.nanolab.api.metrics.MetricsRecord;
import dev.nanolab.api.probe.Histogram;
import dev.nanolab.tracking.RunFiles;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One record type's CSV file: a header of {@code iter,time} and the value keys, and one row per record. */
final class CsvTable {
    private static final List<String> FIXED = List.of(MetricsRecord.ITER, MetricsRecord.TIME);

    private final Path file;
    private final List<String> columns;
    private BufferedWriter out;

    private CsvTable(Path file, List<String> columns, BufferedWriter out) {
        this.file = file;
        this.columns = columns;
        this.out = out;
    }

    /** Opens the file for appending, keeping its columns and its rows of iterations before {@code fromIteration}. */
    static CsvTable open(Path file, long fromIteration) throws IOException {
        List<String> columns = new ArrayList<>(FIXED);
        if (Files.exists(file)) {
            List<List<String>> rows = Csv.parse(Files.readString(file, StandardCharsets.UTF_8));
            if (!rows.isEmpty() && rows.getFirst().subList(0, Math.min(2, rows.getFirst().size())).equals(FIXED)) {
                columns = new ArrayList<>(rows.getFirst());
                List<String> keep = new ArrayList<>();
                keep.add(Csv.line(columns));
                for (List<String> row : rows.subList(1, rows.size()))
                    if (row.size() == columns.size() && iteration(row) < fromIteration) keep.add(Csv.line(row));
                RunFiles.writeLines(file, keep);
                return new CsvTable(file, columns, append(file));
            }
        }
        RunFiles.writeLines(file, List.of(Csv.line(columns)));
        return new CsvTable(file, columns, append(file));
    }

    private static long iteration(List<String> row) {
        try {
            return Long.parseLong(row.getFirst());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE; // a row cut off by a kill
        }
    }

    private static BufferedWriter append(Path file) throws IOException {
        return Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    void append(MetricsRecord r) {
        Map<String, String> cells = new LinkedHashMap<>();
        cells.put(MetricsRecord.ITER, Long.toString(r.iteration()));
        cells.put(MetricsRecord.TIME, RunFiles.seconds(r.time()).toPlainString());
        flatten("", r.values(), cells);
        try {
            if (!columns.containsAll(cells.keySet())) widen(cells);
            List<String> row = new ArrayList<>(columns.size());
            for (String c : columns) row.add(cells.getOrDefault(c, ""));
            out.write(Csv.line(row));
            out.newLine();
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static void flatten(String prefix, Map<String, Object> values, Map<String, String> cells) {
        values.forEach((k, v) -> {
            String key = prefix + k;
            switch (v) {
                case null -> cells.put(key, "");
                case Histogram h -> { } // in metrics.jsonl and TensorBoard
                case Map<?, ?> m -> {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> nested = (Map<String, Object>) m;
                    flatten(key + "/", nested, cells);
                }
                default -> cells.put(key, v.toString());
            }
        });
    }

    /** Adds the new keys as columns: the file is rewritten with the wider header, earlier rows padded. */
    private void widen(Map<String, String> cells) throws IOException {
        out.close();
        int before = columns.size();
        for (String k : cells.keySet()) if (!columns.contains(k)) columns.add(k);
        List<List<String>> rows = Csv.parse(Files.readString(file, StandardCharsets.UTF_8));
        List<String> lines = new ArrayList<>();
        lines.add(Csv.line(columns));
        for (List<String> row : rows.subList(1, rows.size())) {
            if (row.size() != before) continue; // a row cut off by a kill
            List<String> padded = new ArrayList<>(row);
            while (padded.size() < columns.size()) padded.add("");
            lines.add(Csv.line(padded));
        }
        RunFiles.writeLines(file, lines);
        out = append(file);
    }

    void flush() throws IOException {
        out.flush();
    }

    void close() throws IOException {
        out.close();
    }
}
