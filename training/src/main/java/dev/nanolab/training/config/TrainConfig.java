package dev.nanolab.training.config;

import dev.nanolab.api.config.Doc;
import dev.nanolab.api.config.Range;

/**
 * The training loop's knobs, named and defaulted as in nanoGPT's train.py (model and optimizer knobs live in their
 * own sections).
 */
public record TrainConfig(
        @Doc("sequences per micro-batch") @Range(min = 1) int batchSize,
        @Doc("micro-batches per optimizer step (gradients add up)") @Range(min = 1) int gradientAccumulationSteps,
        @Doc("optimizer steps to train for") @Range(min = 0) long maxIters,
        @Doc("evaluate every this many steps") @Range(min = 1) long evalInterval,
        @Doc("batches per split in each evaluation") @Range(min = 1) int evalIters,
        @Doc("log every this many steps") @Range(min = 1) long logInterval,
        @Doc("evaluate once and stop") boolean evalOnly,
        @Doc("save the last checkpoint at every evaluation, not only when val loss improves") boolean alwaysSaveCheckpoint,
        @Doc("clip gradients to this global norm; 0 = no clipping") @Range(min = 0) double gradClip,
        @Doc("peak FLOP/s for MFU; 0 = measure this machine's GEMM at start") @Range(min = 0) double peakFlops,
        @Doc("print a progress bar on a terminal") boolean progressBar,
        @Doc("skip a step whose loss or gradients are not finite (no update) and go on, instead of stopping; metrics count them as skipped_steps") boolean skipNonFinite,
        @Doc("stop at the first evaluation whose val loss is at or below this (a speedrun's target); 0 = train for max_iters") @Range(min = 0) double targetValLoss) {

    /** Without a target val loss. */
    public TrainConfig(int batchSize, int gradientAccumulationSteps, long maxIters, long evalInterval, int evalIters,
                       long logInterval, boolean evalOnly, boolean alwaysSaveCheckpoint, double gradClip, double peakFlops,
                       boolean progressBar, boolean skipNonFinite) {
        this(batchSize, gradientAccumulationSteps, maxIters, evalInterval, evalIters, logInterval, evalOnly,
                alwaysSaveCheckpoint, gradClip, peakFlops, progressBar, skipNonFinite, 0);
    }

    /** Stopping at the first non-finite loss or gradient, with a target val loss. */
    public TrainConfig(int batchSize, int gradientAccumulationSteps, long maxIters, long evalInterval, int evalIters,
                       long logInterval, boolean evalOnly, boolean alwaysSaveCheckpoint, double gradClip, double peakFlops,
                       boolean progressBar, double targetValLoss) {
        this(batchSize, gradientAccumulationSteps, maxIters, evalInterval, evalIters, logInterval, evalOnly,
                alwaysSaveCheckpoint, gradClip, peakFlops, progressBar, false, targetValLoss);
    }

    /** nanoGPT's train.py defaults. */
    public TrainConfig() {
        this(12, 1, 600000, 2000, 200, 1, false, true, 1.0, 0, true, false, 0);
    }

    /** Stopping at the first non-finite loss or gradient. */
    public TrainConfig(int batchSize, int gradientAccumulationSteps, long maxIters, long evalInterval, int evalIters, long logInterval,
                       boolean evalOnly, boolean alwaysSaveCheckpoint, double gradClip, double peakFlops, boolean progressBar) {
        this(batchSize, gradientAccumulationSteps, maxIters, evalInterval, evalIters, logInterval, evalOnly, alwaysSaveCheckpoint,
                gradClip, peakFlops, progressBar, false);
    }
}
