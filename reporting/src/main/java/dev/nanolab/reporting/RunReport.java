package dev.nanolab.reporting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.nanolab.api.probe.Histogram;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code nanolab report RUN_DIR}: one HTML page and its PNG plots, in a folder of their own (default
 * {@code RUN_DIR/report/}: {@code index.html} beside the PNGs, so the folder can be copied anywhere):
 *
 * <ul>
 *   <li>loss curves (train loss per logged step; train and val loss per evaluation), learning rate, gradient norm;</li>
 *   <li>from probes: kurtosis and max |x| per layer over time, attention mass (per layer over time, and the final
 *   histograms), the first-token share, dead-neuron fractions, update:data ratios over time, per-layer gradient
 *   norms, and the final histograms of weights, activations and gradients;</li>
 *   <li>the final metrics, the run's config ({@code config.yaml}) as a table, and generated samples when given.</li>
 * </ul>
 */
public final class RunReport {
    private RunReport() {}

    /**
     * Writes the report.
     *
     * @param samples      generated texts to show (empty for none)
     * @param samplesNote  shown in the samples section (where the samples came from, or why there are none)
     * @return the HTML file
     */
    public static Path write(Path runDir, Path outDir, List<String> samples, String samplesNote) throws IOException {
        RunMetrics m = RunMetrics.read(runDir);
        Files.createDirectories(outDir);
        Html html = new Html("nanolab run report: " + runDir.toAbsolutePath().normalize().getFileName());
        html.note("Run folder: " + runDir.toAbsolutePath().normalize() + ". Losses are mean cross-entropy in nats per token; perplexity is exp(loss).");

        html.h2("Final metrics");
        html.table(List.of("metric", "value"), finalMetrics(m));

        html.h2("Loss");
        double[][] logged = m.series("train", "loss"), evalTrain = m.series("eval", "train_loss"), evalVal = m.series("eval", "val_loss");
        List<Charts.Line> loss = new ArrayList<>();
        loss.add(new Charts.Line("train loss (each logged step)", logged[0], logged[1], new java.awt.Color(0xD0D0D0), false, true));
        loss.add(new Charts.Line("train loss, smoothed (EMA 0.9)", logged[0], Charts.ema(logged[1], 0.9), new java.awt.Color(0x555555), false, true));
        loss.add(new Charts.Line("train loss (eval)", evalTrain[0], evalTrain[1], Charts.color(0), false, true).withMarkers());
        loss.add(new Charts.Line("val loss (eval)", evalVal[0], evalVal[1], Charts.color(1), false, true).withMarkers());
        chart(html, outDir, "loss.png", "loss curves", Charts.lines(outDir.resolve("loss.png"), "Loss", "iteration", "loss (nats/token)", loss));
        chart(html, outDir, "lr.png", "learning rate", Charts.lines(outDir.resolve("lr.png"), "Learning rate", "iteration", "learning rate",
                List.of(new Charts.Line("lr", m.series("train", "lr")))));
        chart(html, outDir, "grad_norm.png", "gradient norm", Charts.lines(outDir.resolve("grad_norm.png"), "Gradient norm (before clipping)",
                "iteration", "global L2 norm", List.of(new Charts.Line("grad norm", m.series("train", "grad_norm")))));

        html.h2("Probes");
        if (m.probes().isEmpty()) {
            html.note("This run recorded no probes. Train with, e.g., --set 'probes=[kurtosis, max-abs, attention-mass, dead-neurons, update-ratio, grad-norm, histograms]'.");
        } else {
            html.note("Measured at each evaluation on its val batches. Kurtosis is Pearson's m4/m2^2 (normal = 3).");
            over(html, outDir, m, "act_kurtosis_pearson", "Activation kurtosis (Pearson, normal = 3) per layer output", "kurtosis");
            over(html, outDir, m, "weight_kurtosis_pearson", "Weight kurtosis (Pearson, normal = 3) per tensor", "kurtosis");
            over(html, outDir, m, "act_max_abs", "Activation max |x| per layer output", "max |x|");
            over(html, outDir, m, "attn_mass_mean", "Attention mass per query row (mean), per layer", "mass");
            hist(html, outDir, m, "attn_mass_hist", "Attention mass per query row: final histograms", "row mass (sum of weights)", true);
            headHistograms(html, outDir, m);
            over(html, outDir, m, "attn_first_token_fraction", "Share of attention mass on the first token, per layer", "fraction");
            over(html, outDir, m, "dead_fraction", "Dead MLP units (never active over the eval batches)", "fraction");
            over(html, outDir, m, "update_ratio_log10", "Update:data ratio log10(std(dθ)/std(θ)) per tensor", "log10 ratio");
            over(html, outDir, m, "grad_norm_layer", "Gradient norm per layer (step before each eval)", "L2 norm");
            hist(html, outDir, m, "hist_weight", "Final weight histograms", "value", true);
            hist(html, outDir, m, "hist_act", "Final activation histograms", "value", true);
            hist(html, outDir, m, "hist_grad", "Final gradient histograms", "value", true);
            List<List<String>> rows = new ArrayList<>();
            m.lastProbeScalars().forEach((k, v) -> rows.add(List.of(k, Html.num(v))));
            html.details("All probe values at the last probed evaluation (iteration " + m.lastProbeIter() + ")", List.of("key", "value"), rows);
        }

        html.h2("Samples");
        if (samplesNote != null && !samplesNote.isBlank()) html.note(samplesNote);
        for (String s : samples) html.pre(s);

        html.h2("Config");
        html.table(List.of("key", "value"), configRows(runDir.resolve("config.yaml")));

        Path index = outDir.resolve("index.html");
        Files.writeString(index, html.finish(), StandardCharsets.UTF_8);
        return index;
    }

    private static void chart(Html html, Path outDir, String file, String alt, boolean written) {
        if (written) html.img(file, alt);
        else html.note("(" + alt + ": no data)");
    }

    /** A chart of one probe metric over time, one line per layer or tensor, if the run has it. */
    private static void over(Html html, Path outDir, RunMetrics m, String metric, String title, String yTitle) {
        Map<String, double[][]> series = m.probeSeries(metric, false);
        if (series.isEmpty()) return;
        List<Charts.Line> lines = new ArrayList<>();
        series.forEach((where, xy) -> lines.add(new Charts.Line(where, xy)));
        String file = metric + ".png";
        if (Charts.lines(outDir.resolve(file), title, "iteration", yTitle, lines)) html.img(file, title);
    }

    private static void hist(Html html, Path outDir, RunMetrics m, String metric, String title, String xTitle, boolean fractions) {
        Map<String, Histogram> h = m.lastHistograms(metric);
        if (h.isEmpty()) return;
        String file = metric + ".png";
        if (Charts.histograms(outDir.resolve(file), title, xTitle, h, fractions)) html.img(file, title);
    }

    /** One chart per attention layer: the final row-mass histogram of each of its heads. */
    private static void headHistograms(Html html, Path outDir, RunMetrics m) {
        Map<String, Map<String, Histogram>> byLayer = new java.util.LinkedHashMap<>();
        m.lastHistograms("attn_mass_hist", true).forEach((where, h) -> {
            int bracket = where.lastIndexOf('[');
            if (bracket > 0 && where.endsWith("]"))
                byLayer.computeIfAbsent(where.substring(0, bracket), k -> new java.util.LinkedHashMap<>()).put("head " + where.substring(bracket + 1, where.length() - 1), h);
        });
        int i = 0;
        for (var e : byLayer.entrySet()) {
            String file = "attn_mass_hist_heads_" + i++ + ".png";
            String title = "Attention mass per query row, per head: " + e.getKey();
            if (Charts.histograms(outDir.resolve(file), title, "row mass (sum of weights)", e.getValue(), true)) html.img(file, title);
        }
    }

    static List<List<String>> finalMetrics(RunMetrics m) {
        List<List<String>> rows = new ArrayList<>();
        if (!m.eval().isEmpty()) {
            JsonNode last = m.eval().getLast();
            double val = last.path("val_loss").asDouble(Double.NaN);
            rows.add(List.of("last evaluation: iteration", Html.num(last.path("iter").asDouble())));
            rows.add(List.of("train loss (nats/token)", Html.num(last.path("train_loss").asDouble(Double.NaN))));
            rows.add(List.of("val loss (nats/token)", Html.num(val)));
            rows.add(List.of("val perplexity exp(loss)", Html.num(Math.exp(val))));
            rows.add(List.of("best val loss", Html.num(m.bestValLoss())));
        }
        if (!m.train().isEmpty()) {
            JsonNode last = m.train().getLast();
            rows.add(List.of("last logged step", Html.num(last.path("iter").asDouble())));
            if (last.has("loss")) rows.add(List.of("train loss at that step (nats/token)", Html.num(last.path("loss").asDouble())));
            if (last.has("lr")) rows.add(List.of("learning rate", String.format("%.3e", last.path("lr").asDouble())));
            if (last.has("grad_norm")) rows.add(List.of("gradient norm before clipping", Html.num(last.path("grad_norm").asDouble())));
            if (last.has("ms")) rows.add(List.of("step time (ms)", String.format("%,.1f", last.path("ms").asDouble())));
            if (last.has("tokens_per_s")) rows.add(List.of("throughput (tokens/s)", String.format("%,.0f", last.path("tokens_per_s").asDouble())));
            if (last.has("mfu")) rows.add(List.of("model FLOPs utilisation", String.format("%.1f%%", 100 * last.path("mfu").asDouble())));
        }
        return rows;
    }

    /** The config file flattened to dotted keys. */
    static List<List<String>> configRows(Path file) {
        List<List<String>> rows = new ArrayList<>();
        if (!Files.exists(file)) {
            rows.add(List.of("(no config.yaml in the run folder)", ""));
            return rows;
        }
        try {
            JsonNode n = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file));
            flatten("", n, rows);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return rows;
    }

    private static void flatten(String prefix, JsonNode n, List<List<String>> rows) {
        if (n == null) return;
        if (n.isObject()) {
            n.fieldNames().forEachRemaining(k -> flatten(prefix.isEmpty() ? k : prefix + "." + k, n.get(k), rows));
        } else if (n.isArray()) {
            List<String> parts = new ArrayList<>();
            n.forEach(e -> parts.add(e.isObject() && e.has("name") ? e.get("name").asText() : e.isValueNode() ? e.asText() : e.toString()));
            rows.add(List.of(prefix, "[" + String.join(", ", parts) + "]"));
        } else {
            rows.add(List.of(prefix, n.isNull() ? "null" : n.asText()));
        }
    }
}
