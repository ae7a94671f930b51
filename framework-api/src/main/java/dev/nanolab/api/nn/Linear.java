package dev.nanolab.api.nn;

import dev.nanolab.api.backend.Backend;
import dev.nanolab.api.tensor.Tensor;

/** {@code y = x·Wᵀ + b}, W stored (out, in) as in PyTorch; the bias is optional. */
public final class Linear extends Layer {
    private final Tensor weight;
    private final Tensor bias;

    public Linear(Backend backend, int in, int out, boolean bias, Init weightInit) {
        this.weight = parameter("weight", weightInit.create(backend, out, in));
        this.bias = bias ? parameter("bias", Init.zeros().create(backend, out)) : null;
    }

    public Tensor forward(Tensor x) {
        return emit(F.linear(x, weight, bias));
    }

    public Tensor weight() {
        return weight;
    }

    /** The bias, or null. */
    public Tensor bias() {
        return bias;
    }
}
