package dev.nanolab.api.experiment;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The outcome of a comparison: per variant, its runs and the statistics over seeds. Losses are mean cross-entropy
 * in nats per token on the validation split; perplexity is exp(loss).
 *
 * @param folder    the compare folder (compare.csv, compare.html, one folder per run)
 * @param threshold the relative perplexity improvement that makes a variant interesting
 * @param variants  in order; the first is the baseline
 */
public record ExperimentResult(Path folder, double threshold, List<Variant> variants) {
    public ExperimentResult {
        variants = List.copyOf(variants);
    }

    /** The variant of that name. */
    public Variant variant(String name) {
        return variants.stream().filter(v -> v.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no variant '" + name + "' (variants: "
                        + variants.stream().map(Variant::name).toList() + ")"));
    }

    /**
     * One variant.
     *
     * @param name        its label, e.g. {@code softmax1} or {@code attention=softmax1 lr=0.001}
     * @param settings    the overrides that make it, key to value, in the order of the variations
     * @param runs        one per seed
     * @param finalLoss   the last evaluation's val loss over successful runs
     * @param bestLoss    the best val loss over successful runs
     * @param perplexity  exp(final val loss) over successful runs
     * @param change      against the baseline, paired by seed; absent for the baseline and with no complete pair
     * @param probes      the last probe values, averaged over successful runs (key as in metrics.jsonl), in record order
     */
    public record Variant(String name, Map<String, String> settings, List<Run> runs, Summary finalLoss, Summary bestLoss,
                          Summary perplexity, Optional<Change> change, Map<String, Double> probes) {
        public Variant {
            settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
            runs = List.copyOf(runs);
            probes = Collections.unmodifiableMap(new LinkedHashMap<>(probes));
        }

        public long failed() {
            return runs.stream().filter(r -> !r.ok()).count();
        }
    }

    /**
     * One run.
     *
     * @param seed      its seed
     * @param ok        whether it finished
     * @param error     why it failed (the last lines of its log), or empty
     * @param finalLoss the last evaluation's val loss, NaN if failed
     * @param bestLoss  the best val loss, NaN if failed
     * @param dir       its out_dir
     * @param msPerStep the median logged step time in milliseconds (iteration 0 left out), NaN if unknown
     */
    public record Run(long seed, boolean ok, String error, double finalLoss, double bestLoss, Path dir, double msPerStep) {
        /** Without a step time. */
        public Run(long seed, boolean ok, String error, double finalLoss, double bestLoss, Path dir) {
            this(seed, ok, error, finalLoss, bestLoss, dir, Double.NaN);
        }
    }

    /** Mean and sample standard deviation (n − 1 in the denominator; NaN for n < 2) over n runs. */
    public record Summary(int n, double mean, double std) {}

    /**
     * The relative perplexity change of a variant against the baseline, paired by seed: with
     * d_s = L_variant,s − L_baseline,s over the n seeds where both finished, d̄ their mean and s_d their sample
     * standard deviation, the change is exp(d̄) − 1 and its 95% interval exp(d̄ ± t_{0.975, n−1}·s_d/√n) − 1.
     * Negative is better (lower perplexity).
     *
     * @param estimate       exp(d̄) − 1
     * @param low            lower end of the 95% interval (NaN for n < 2)
     * @param high           upper end of the 95% interval (NaN for n < 2)
     * @param pairs          n
     * @param meetsThreshold whether the estimate improves perplexity by at least the threshold (estimate ≤ −threshold)
     * @param ciBeyondThreshold whether the whole interval does (high ≤ −threshold)
     */
    public record Change(double estimate, double low, double high, int pairs, boolean meetsThreshold, boolean ciBeyondThreshold) {}
}
