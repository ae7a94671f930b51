package dev.nanolab.probes.experiments;

import dev.nanolab.api.experiment.Experiment;
import dev.nanolab.api.experiment.ExperimentPlan;
import dev.nanolab.api.experiment.ExperimentResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The mixture-of-tokenizers devlog, at a CPU scale: speedrun-modern (modern-gpt, 2048-token BPE on the JDK source)
 * with its token embedding replaced by {@code mot} in the devlog's variants (cross-attention only; + byte
 * self-attention at windows 4, 16, 64; byte width = model width) and its two open ideas (a residual from the token
 * embedding; 4×4 pooling). Every variant trains the same {@link #ITERS} steps over 3 seeds; the report gives each
 * one's step time and final val loss, the perplexity change against the token embedding paired by seed, a verdict,
 * and whether the self-attention window changes the step time (the devlog found it did not).
 */
public final class MixtureOfTokenizersExperiment implements Experiment {
    /**
     * Steps per run: 8 variants × 3 seeds, two runs at a time on one core each, in about 50 minutes on 2 cores
     * (docs/mixture-of-tokenizers.md has the measurement). Longer: --set train.max_iters=N --set schedule.total_iters=N
     * --set model.window_warmup_iters=N.
     */
    public static final int ITERS = 300;

    /** Short name → the value of model.embedding, baseline first. */
    static final Map<String, String> VARIANTS = variants();

    private static Map<String, String> variants() {
        Map<String, String> v = new LinkedHashMap<>();
        String cross = "name: mot, char_dim: 64, heads: 4, previous_tokens: 1";
        v.put("token (baseline)", "token");
        v.put("cross-attention only", "{" + cross + "}");
        v.put("+ self-attention w4", "{" + cross + ", self_attention_window: 4}");
        v.put("+ self-attention w16", "{" + cross + ", self_attention_window: 16}");
        v.put("+ self-attention w64", "{" + cross + ", self_attention_window: 64}");
        v.put("byte width = model width", "{name: mot, char_dim: 0, heads: 4, previous_tokens: 1}");
        v.put("cross + residual", "{" + cross + ", residual: true}");
        v.put("cross, 4x4 pooling", "{" + cross + ", pool: 4}");
        return v;
    }

    @Override
    public ExperimentPlan plan() {
        return ExperimentPlan.preset("speedrun-modern")
                .with("train.max_iters=" + ITERS, "train.target_val_loss=0", "schedule.total_iters=" + ITERS,
                        "model.window_warmup_iters=" + ITERS, "train.eval_interval=" + ITERS / 4, "train.eval_iters=20",
                        "train.log_interval=10")
                .vary("model.embedding", VARIANTS.values().toArray(String[]::new))
                .seeds(3)
                .probes(new String[0]) // none: the base config's own (speedrun-modern has none)
                .threshold(0.01);
    }

    @Override
    public List<String> report(ExperimentResult r) {
        Map<String, String> label = new LinkedHashMap<>();
        VARIANTS.forEach((name, value) -> label.put(value, name));
        List<String> lines = new ArrayList<>();
        ExperimentResult.Variant base = r.variants().getFirst();
        double baseMs = medianMs(base);
        lines.add(String.format(Locale.ROOT, "%-26s %9s %7s %16s %30s  %s", "variant", "ms/step", "x base", "final val loss",
                "perplexity vs token (95% CI)", "verdict"));
        for (ExperimentResult.Variant v : r.variants()) {
            double ms = medianMs(v);
            String loss = v.finalLoss().n() == 0 ? "failed"
                    : String.format(Locale.ROOT, "%.4f ± %.4f", v.finalLoss().mean(), v.finalLoss().std());
            String change = v == base ? "" : v.change().map(c -> String.format(Locale.ROOT, "%+.2f%% (%+.2f%% to %+.2f%%)",
                    100 * c.estimate(), 100 * c.low(), 100 * c.high())).orElse("no complete pair");
            lines.add(String.format(Locale.ROOT, "%-26s %9.1f %7.2f %16s %30s  %s", label.getOrDefault(v.name(), v.name()), ms, ms / baseMs,
                    loss, change, v == base ? "baseline" : verdict(v)));
        }
        lines.add(windowLine(r, label));
        return lines;
    }

    /** Better or worse only when the whole 95% interval is on one side of zero. */
    static String verdict(ExperimentResult.Variant v) {
        if (v.change().isEmpty()) return "no verdict (runs failed)";
        var c = v.change().get();
        if (Double.isNaN(c.low())) return "no interval (one seed)";
        // Compare's sign: negative is a lower perplexity.
        if (c.high() < 0) return "better than the token embedding";
        if (c.low() > 0) return "worse than the token embedding";
        return "no difference detected";
    }

    /** Does the byte self-attention's cost follow its window? The extra time over cross-attention only, per window. */
    private static String windowLine(ExperimentResult r, Map<String, String> label) {
        double cross = Double.NaN;
        Map<Integer, Double> extra = new LinkedHashMap<>();
        for (ExperimentResult.Variant v : r.variants()) {
            String name = label.getOrDefault(v.name(), "");
            if (name.equals("cross-attention only")) cross = medianMs(v);
            if (name.startsWith("+ self-attention w")) extra.put(Integer.parseInt(name.substring(name.indexOf('w') + 1)), medianMs(v));
        }
        if (extra.isEmpty() || Double.isNaN(cross)) return "window: no self-attention variants finished";
        StringBuilder sb = new StringBuilder("window vs step time: over cross-attention only, the byte self-attention adds");
        for (var e : extra.entrySet()) sb.append(String.format(Locale.ROOT, " %.1f ms at w%d;", e.getValue() - cross, e.getKey()));
        int lo = extra.keySet().stream().min(Integer::compare).orElseThrow(), hi = extra.keySet().stream().max(Integer::compare).orElseThrow();
        if (hi > lo)
            sb.append(String.format(Locale.ROOT, " w%d/w%d added-time ratio %.2f (%d if all of it were score work in the window, 1 if the window changed nothing)",
                    hi, lo, (extra.get(hi) - cross) / (extra.get(lo) - cross), hi / lo));
        return sb.toString();
    }

    /** The median over the variant's finished runs of their median step times. */
    static double medianMs(ExperimentResult.Variant v) {
        double[] ms = v.runs().stream().filter(ExperimentResult.Run::ok).mapToDouble(ExperimentResult.Run::msPerStep)
                .filter(Double::isFinite).sorted().toArray();
        if (ms.length == 0) return Double.NaN;
        return ms.length % 2 == 1 ? ms[ms.length / 2] : (ms[ms.length / 2 - 1] + ms[ms.length / 2]) / 2;
    }
}
