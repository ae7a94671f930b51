package dev.nanolab.api.backend;

/**
 * Fused parameter updates, one pass per parameter tensor. Hyper-parameters that change from step to step (learning
 * rate, bias corrections, the clipping scale) are read from a small F32 storage rather than passed as arguments, so
 * a backend that captures a training step and replays it sees each step's values: the trainer writes them with
 * {@link Memory#write} before the step.
 */
public interface OptimizerKernels {
    /** Layout of the AdamW hyper-parameter block, starting at {@code hyperOffset}. */
    int LR = 0, BETA1 = 1, BETA2 = 2, EPS = 3, WEIGHT_DECAY = 4, BIAS_CORRECTION1 = 5, BIAS_CORRECTION2 = 6,
            GRAD_SCALE = 7, ADAMW_HYPER_SIZE = 8;

    /**
     * AdamW (Loshchilov &amp; Hutter), with g = GRAD_SCALE · grad: m = β1·m + (1−β1)·g; v = β2·v + (1−β2)·g²;
     * p −= lr · (m/bc1 / (√(v/bc2) + eps) + wd · p), where bc1 = 1−β1^t and bc2 = 1−β2^t are given.
     */
    void adamw(Storage param, Storage grad, Storage m, Storage v, long n, Storage hyper, int hyperOffset);

    /** {@code out[outIndex] (+)= Σ x[i]²} over {@code n} elements, summed in double in a fixed order. */
    void sumOfSquares(Storage x, long n, Storage out, int outIndex, boolean accumulate);

    /**
     * Gradient clipping by global norm: {@code hyper[scaleIndex] = min(1, maxNorm / (√sumSq[sumIndex] + 1e-6))}
     * (1 when maxNorm ≤ 0), leaving the norm itself readable for logging.
     */
    void clipScale(Storage sumSq, int sumIndex, float maxNorm, Storage hyper, int scaleIndex);
}
