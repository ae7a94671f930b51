package dev.nanolab.api.backend;

/**
 * Normalisation kernels over the last axis of a (rows, dim) array. Forward passes save per-row statistics for the
 * backward: {@code mean} and {@code rstd} (1/√(var + eps)) for layer norm, {@code rstd} (1/√(mean(x²) + eps)) for
 * RMS norm. A null weight means no affine scale (ones), a null bias no shift.
 *
 * <p>Backward: dx is written (or accumulated), and parameter gradients are accumulated into dWeight/dBias when
 * {@link LayerGradients#accumulateParams()}, else overwritten. Parameter gradients sum over rows in a fixed order, so results do not
 * depend on the thread count.
 */
public interface Norms {
    void layerNorm(Storage x, Storage weight, Storage bias, Storage y, Storage mean, Storage rstd,
                   int rows, int dim, float eps);

    void layerNormBackward(Storage dy, Storage x, Storage weight, Storage mean, Storage rstd, LayerGradients grads,
                           int rows, int dim);

    void rmsNorm(Storage x, Storage weight, Storage y, Storage rstd, int rows, int dim, float eps);

    /** {@code grads.dBias()} is unused (RMSNorm has no bias); {@code grads.dWeight()} is null without a weight. */
    void rmsNormBackward(Storage dy, Storage x, Storage weight, Storage rstd, LayerGradients grads, int rows, int dim);
}
