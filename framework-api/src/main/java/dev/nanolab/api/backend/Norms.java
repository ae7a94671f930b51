package dev.nanolab.api.backend;

/**
 * Normalisation kernels over the last axis of a (rows, dim) array. Forward passes save per-row statistics for the
 * backward: {@code mean} and {@code rstd} (1/√(var + eps)) for layer norm, {@code rstd} (1/√(mean(x²) + eps)) for
 * RMS norm. A null weight means no affine scale (ones), a null bias no shift.
 *
 * <p>Backward: dx is written (or accumulated), and parameter gradients are accumulated into dWeight/dBias when
 * {@code accumulateParams}, else overwritten. Parameter gradients sum over rows in a fixed order, so results do not
 * depend on the thread count.
 */
public interface Norms {
    void layerNorm(Storage x, Storage weight, Storage bias, Storage y, Storage mean, Storage rstd,
                   int rows, int dim, float eps);

    void layerNormBackward(Storage dy, Storage x, Storage weight, Storage mean, Storage rstd,
                           Storage dx, Storage dWeight, Storage dBias, int rows, int dim,
                           boolean accumulateDx, boolean accumulateParams);

    void rmsNorm(Storage x, Storage weight, Storage y, Storage rstd, int rows, int dim, float eps);

    void rmsNormBackward(Storage dy, Storage x, Storage weight, Storage rstd, Storage dx, Storage dWeight,
                         int rows, int dim, boolean accumulateDx, boolean accumulateParams);
}
