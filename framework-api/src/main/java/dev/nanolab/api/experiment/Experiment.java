package dev.nanolab.api.experiment;

import java.util.List;

/**
 * An experiment as code ({@link dev.nanolab.api.plugin.ComponentKind#EXPERIMENT}): what to vary and what to
 * report. {@code nanolab run NAME} takes its {@link #plan()}, runs every variant over every seed as
 * {@code nanolab compare} does (same data, same seeds, paired by seed), writes {@code compare.csv} and
 * {@code compare.html}, then hands the numbers to {@link #report}.
 *
 * <pre>{@code
 * public final class SoftmaxVsSoftmax1 implements Experiment {
 *     public ExperimentPlan plan() {
 *         return ExperimentPlan.preset("cpu-demo")
 *                 .with("train.max_iters=600", "schedule.lr_decay_iters=600")
 *                 .vary("model.attention", "softmax", "softmax1")
 *                 .seeds(2);
 *     }
 *
 *     public List<String> report(ExperimentResult r) {
 *         return List.of("softmax1 " + (r.variant("softmax1").change().orElseThrow().meetsThreshold() ? "is" : "is not") + " interesting");
 *     }
 * }
 * }</pre>
 *
 * Registered like any component: {@code ComponentSpec.of(ComponentKind.EXPERIMENT, "softmax-vs-softmax1", "...",
 * NoOptions.class, c -> new SoftmaxVsSoftmax1())}.
 */
public interface Experiment {
    /** The base config, the variations, the seeds, the probes and the threshold. */
    ExperimentPlan plan();

    /**
     * Conclusions, once every run has finished (failed runs included, marked so): lines printed after the table
     * and added to {@code compare.html}. The standard comparison is written whatever this returns. Default: none.
     */
    default List<String> report(ExperimentResult result) {
        return List.of();
    }
}
