package dev.nanolab.api.nn;

import dev.nanolab.api.backend.Backend;
import dev.nanolab.api.tensor.Tensor;

/** Layer norm over the last axis with a learned scale and, optionally, a bias (nanoGPT's {@code bias=False}). */
public final class LayerNorm extends Layer {
    public static final float EPS = 1e-5f;
    private final Tensor weight;
    private final Tensor bias;

    public LayerNorm(Backend backend, int dim, boolean bias) {
        this.weight = parameter("weight", Init.ones().create(backend, dim));
        this.bias = bias ? parameter("bias", Init.zeros().create(backend, dim)) : null;
    }

    public Tensor forward(Tensor x) {
        return emit(F.layerNorm(x, weight, bias, EPS));
    }
}
