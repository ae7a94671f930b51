package dev.nanolab.reporting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nanolab.api.metrics.MetricsRecord;
import dev.nanolab.api.probe.Histogram;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A run's {@code metrics.jsonl}, read back: "train" records (loss, lr, grad_norm, ms, ...), "eval" records
 * (train_loss, val_loss, lr) and "probe" records (one per probe and evaluation; keys {@code metric/where}). A line
 * cut off by a kill is skipped.
 */
public final class RunMetrics {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<JsonNode> train = new ArrayList<>(), eval = new ArrayList<>(), probes = new ArrayList<>();
    private JsonNode target;

    private RunMetrics() {}

    public static RunMetrics read(Path runDir) {
        Path file = runDir.resolve("metrics.jsonl");
        RunMetrics m = new RunMetrics();
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(runDir + " is not a run folder: it has no metrics.jsonl");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        for (String line : lines) {
            if (line.isBlank()) continue;
            JsonNode n;
            try {
                n = JSON.readTree(line);
            } catch (IOException e) {
                continue;
            }
            switch (n.path("type").asText()) {
                case "train" -> m.train.add(n);
                case "eval" -> m.eval.add(n);
                case "probe" -> m.probes.add(n);
                case "target" -> m.target = n;
                default -> { }
            }
        }
        return m;
    }

    public List<JsonNode> train() {
        return train;
    }

    public List<JsonNode> eval() {
        return eval;
    }

    public List<JsonNode> probes() {
        return probes;
    }

    /** The line written when train.target_val_loss was reached (iter, train_time_s, wall_time_s), or empty. */
    public java.util.Optional<JsonNode> target() {
        return java.util.Optional.ofNullable(target);
    }

    /** (iter, value) points of a numeric key in the records of one type ("train", "eval", "probe"); nulls skipped. */
    public double[][] series(String type, String key) {
        List<JsonNode> src = switch (type) {
            case "train" -> train;
            case "eval" -> eval;
            case "probe" -> probes;
            default -> throw new IllegalArgumentException(type);
        };
        List<double[]> pts = new ArrayList<>();
        for (JsonNode n : src) {
            JsonNode v = n.get(key);
            if (v != null && v.isNumber()) pts.add(new double[] {n.path("iter").asDouble(), v.asDouble()});
        }
        return columns(pts);
    }

    static double[][] columns(List<double[]> pts) {
        double[][] out = new double[2][pts.size()];
        for (int i = 0; i < pts.size(); i++) {
            out[0][i] = pts.get(i)[0];
            out[1][i] = pts.get(i)[1];
        }
        return out;
    }

    /** Every probe key of one metric ({@code act_kurtosis_pearson}), by where, as (iter, value) series; per-head keys left out unless asked for. */
    public Map<String, double[][]> probeSeries(String metric, boolean heads) {
        Map<String, List<double[]>> acc = new LinkedHashMap<>();
        String prefix = metric + "/";
        for (JsonNode n : probes) {
            double iter = n.path("iter").asDouble();
            n.fieldNames().forEachRemaining(k -> {
                if (!k.startsWith(prefix) || (!heads && k.endsWith("]"))) return;
                JsonNode v = n.get(k);
                if (v.isNumber()) acc.computeIfAbsent(k.substring(prefix.length()), x -> new ArrayList<>()).add(new double[] {iter, v.asDouble()});
            });
        }
        Map<String, double[][]> out = new LinkedHashMap<>();
        acc.forEach((k, v) -> out.put(k, columns(v)));
        return out;
    }

    /** The last iteration that has probe records, or -1. */
    public long lastProbeIter() {
        long last = -1;
        for (JsonNode n : probes) last = Math.max(last, n.path("iter").asLong());
        return last;
    }

    /** The keys every record carries (type, iteration, wall time) and the probe's name: never a probe value. */
    private static final Set<String> BOOKKEEPING = Set.of(MetricsRecord.TYPE, MetricsRecord.ITER, MetricsRecord.TIME, "probe");

    /** The numeric probe values of the last probed evaluation, all probes merged, in record order. */
    public Map<String, Double> lastProbeScalars() {
        long last = lastProbeIter();
        Map<String, Double> out = new LinkedHashMap<>();
        for (JsonNode n : probes) {
            if (n.path("iter").asLong() != last) continue;
            n.fieldNames().forEachRemaining(k -> {
                if (BOOKKEEPING.contains(k)) return;
                JsonNode v = n.get(k);
                if (v.isNumber()) out.put(k, v.asDouble());
                else if (v.isNull()) out.put(k, Double.NaN);
            });
        }
        return out;
    }

    /** The histograms of one metric ({@code hist_weight}) at the last evaluation that has them, by where; per-head ones left out. */
    public Map<String, Histogram> lastHistograms(String metric) {
        return lastHistograms(metric, false);
    }

    /** The histograms of one metric at the last evaluation that has them, by where; per-head ({@code [h]}) ones if asked. */
    public Map<String, Histogram> lastHistograms(String metric, boolean heads) {
        String prefix = metric + "/";
        TreeMap<Long, Map<String, Histogram>> byIter = new TreeMap<>();
        for (JsonNode n : probes) {
            long iter = n.path("iter").asLong();
            n.fieldNames().forEachRemaining(k -> {
                if (!k.startsWith(prefix) || (!heads && k.endsWith("]"))) return;
                JsonNode h = n.get(k);
                if (!h.isObject()) return;
                double[] edges = new double[h.path("edges").size()];
                for (int i = 0; i < edges.length; i++) edges[i] = h.path("edges").get(i).asDouble();
                long[] counts = new long[h.path("counts").size()];
                for (int i = 0; i < counts.length; i++) counts[i] = h.path("counts").get(i).asLong();
                byIter.computeIfAbsent(iter, x -> new LinkedHashMap<>()).put(k.substring(prefix.length()), new Histogram(edges, counts));
            });
        }
        return byIter.isEmpty() ? Map.of() : byIter.lastEntry().getValue();
    }

    /**
     * The median of the logged step times ({@code ms} of the train records), leaving out iteration 0 (JIT warm-up
     * and first allocations); NaN if none.
     */
    public double medianStepMs() {
        double[] ms = java.util.Arrays.stream(train.toArray(JsonNode[]::new))
                .filter(n -> n.path("iter").asLong() > 0 && n.path("ms").isNumber()).mapToDouble(n -> n.path("ms").asDouble()).sorted().toArray();
        if (ms.length == 0) return Double.NaN;
        int n = ms.length;
        return n % 2 == 1 ? ms[n / 2] : (ms[n / 2 - 1] + ms[n / 2]) / 2;
    }

    /** The last evaluation's val loss, NaN if none. */
    public double finalValLoss() {
        return eval.isEmpty() ? Double.NaN : eval.getLast().path("val_loss").asDouble(Double.NaN);
    }

    /** The lowest val loss over evaluations, NaN if none. */
    public double bestValLoss() {
        double best = Double.NaN;
        for (JsonNode n : eval) {
            double v = n.path("val_loss").asDouble(Double.NaN);
            if (Double.isNaN(best) || v < best) best = v;
        }
        return best;
    }
}
