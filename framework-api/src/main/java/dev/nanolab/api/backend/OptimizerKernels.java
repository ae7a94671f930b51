package dev.nanolab.api.backend;

/**
 * What every optimizer step needs from a backend: the global gradient norm and the clipping factor, computed and kept
 * on the device. The fused updates of the built-in optimizers are an optional kernel set,
 * {@link dev.nanolab.api.backend.ext.FusedOptimizerKernels}.
 */
public interface OptimizerKernels {
    /** {@code out[outIndex] (+)= Σ x[i]²} over {@code n} elements, in a fixed order (CPU: float sums of 4096-element blocks, added in double). */
    void sumOfSquares(Storage x, long n, Storage out, int outIndex, boolean accumulate);

    /**
     * Gradient clipping by global norm: {@code hyper[scaleIndex] = min(1, maxNorm / (√sumSq[sumIndex] + 1e-6))}
     * (1 when maxNorm ≤ 0), leaving the norm itself readable for logging.
     */
    void clipScale(Storage sumSq, int sumIndex, float maxNorm, Storage hyper, int scaleIndex);
}
