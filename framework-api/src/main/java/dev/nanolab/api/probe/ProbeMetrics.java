package dev.nanolab.api.probe;

/**
 * Where a probe writes its results: the trainer puts them into one {@code metrics.jsonl} record per probe and
 * evaluation, {@code {"type": "probe", "probe": NAME, "iter": N, KEY: VALUE, ...}}.
 *
 * <p>Keys are {@code metric/where}: the metric's name, then the module path or parameter name it is about, for
 * example {@code act_kurtosis_pearson/transformer.h.0.mlp} or {@code update_ratio_log10/transformer.wte.weight}.
 * Per-head values append {@code [h]} to the path. A metric about the whole model has no {@code /where}.
 */
public interface ProbeMetrics {
    /** One number; a non-finite value is written as null. */
    void scalar(String key, double value);

    /** One histogram, written as {@code {"edges": [...], "counts": [...]}}. */
    void histogram(String key, Histogram histogram);
}
