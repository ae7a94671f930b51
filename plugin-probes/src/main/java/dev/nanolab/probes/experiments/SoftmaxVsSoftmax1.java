package dev.nanolab.probes.experiments;

import dev.nanolab.api.experiment.Experiment;
import dev.nanolab.api.experiment.ExperimentPlan;
import dev.nanolab.api.experiment.ExperimentResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The flagship experiment: does softmax1 ("quiet attention", exp(x_i)/(1 + Σ_j exp(x_j))) improve perplexity by 5%
 * over softmax, and does it tame activation outliers (kurtosis, max |x|)? nanoGPT's CPU-demo GPT (4 layers, 4 heads,
 * 128 wide, context 64) on the JDK's own source as characters, 2 seeds per variant, sized to finish in about 15
 * minutes on 2 cores (4 runs, two at a time).
 */
public final class SoftmaxVsSoftmax1 implements Experiment {
    /**
     * Training steps per run: sized so that the 4 runs (2 at a time, one core each, about 65 ms a step, evaluations
     * on 50 batches every 250 steps) take about 14 minutes on 2 cores; see docs/probes-and-compare.md for the
     * measurement. Shorter or longer runs: pass --set train.max_iters=N --set schedule.lr_decay_iters=N.
     */
    public static final int ITERS = 5000;

    @Override
    public ExperimentPlan plan() {
        return ExperimentPlan.preset("cpu-demo")
                .with("train.max_iters=" + ITERS, "schedule.lr_decay_iters=" + ITERS, "schedule.warmup_iters=" + ITERS / 10,
                        "train.eval_interval=" + ITERS / 20, "train.eval_iters=50", "train.log_interval=10",
                        "train.always_save_checkpoint=true")
                .vary("model.attention", "softmax", "softmax1")
                .seeds(2)
                .threshold(0.05);
    }

    @Override
    public List<String> report(ExperimentResult r) {
        List<String> lines = new ArrayList<>();
        ExperimentResult.Variant base = r.variants().getFirst();
        for (ExperimentResult.Variant v : r.variants().subList(1, r.variants().size())) {
            if (v.change().isEmpty()) {
                lines.add(v.name() + ": no complete pair of runs, so no comparison");
                continue;
            }
            var c = v.change().get();
            String threshold = String.format(Locale.ROOT, "%.1f%%", 100 * r.threshold());
            String verdict = c.ciBeyondThreshold() ? "interesting: the whole 95% interval improves perplexity by at least " + threshold
                    : c.meetsThreshold() ? "interesting by its estimate, but the 95% interval reaches " + pct(c.high())
                    : "not interesting: the estimate does not improve perplexity by " + threshold;
            lines.add(String.format(Locale.ROOT, "%s vs %s: perplexity %s (95%% CI %s to %s, %d seeds): %s", v.name(), base.name(),
                    pct(c.estimate()), pct(c.low()), pct(c.high()), c.pairs(), verdict));
            lines.add(outliers(base, v));
        }
        return lines;
    }

    /** Mean over blocks of the residual stream's kurtosis and max |x|, baseline against variant. */
    private static String outliers(ExperimentResult.Variant base, ExperimentResult.Variant v) {
        return String.format(Locale.ROOT, "residual-stream kurtosis (mean over blocks) %.2f -> %.2f; max |x| %.2f -> %.2f",
                blockMean(base.probes(), "act_kurtosis_pearson/"), blockMean(v.probes(), "act_kurtosis_pearson/"),
                blockMean(base.probes(), "act_max_abs/"), blockMean(v.probes(), "act_max_abs/"));
    }

    private static double blockMean(Map<String, Double> probes, String metric) {
        double s = 0;
        int n = 0;
        for (var e : probes.entrySet()) {
            if (!e.getKey().startsWith(metric)) continue;
            String path = e.getKey().substring(metric.length());
            if (path.matches(".*\\.h\\.\\d+") && e.getValue() != null && Double.isFinite(e.getValue())) {
                s += e.getValue();
                n++;
            }
        }
        return n == 0 ? Double.NaN : s / n;
    }

    private static String pct(double x) {
        return Double.isNaN(x) ? "n/a" : String.format(Locale.ROOT, "%+.1f%%", 100 * x);
    }
}
