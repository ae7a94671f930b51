package dev.nanolab.api.nn;

import dev.nanolab.api.backend.Backend;
import dev.nanolab.api.tensor.Tensor;

/** RMS norm over the last axis, with or without a learned scale. */
public final class RMSNorm extends Layer {
    private final Tensor weight;
    private final float eps;

    public RMSNorm(Backend backend, int dim, boolean affine, float eps) {
        this.weight = affine ? parameter("weight", Init.ones().create(backend, dim)) : null;
        this.eps = eps;
    }

    public Tensor forward(Tensor x) {
        return emit(F.rmsNorm(x, weight, eps));
    }
}
