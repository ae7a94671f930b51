package dev.nanolab.api.nn;

import dev.nanolab.api.backend.Backend;
import dev.nanolab.api.tensor.Rng;
import dev.nanolab.api.tensor.Tensor;
import dev.nanolab.api.tensor.TensorScope;

/** How a parameter is initialised. Parameters are allocated outside any {@link TensorScope}: they persist. */
@FunctionalInterface
public interface Init {
    Tensor create(Backend backend, int... shape);

    /** Normal(0, std): nanoGPT uses std 0.02 for every linear and embedding weight. */
    static Init normal(Rng rng, float std) {
        return (be, shape) -> TensorScope.outside(() -> Tensor.randn(be, rng, std, shape));
    }

    /** Uniform(−bound, bound): PyTorch's default for Linear is bound = 1/√fan_in. */
    static Init uniform(Rng rng, float bound) {
        return (be, shape) -> TensorScope.outside(() -> Tensor.uniform(be, rng, -bound, bound, shape));
    }

    static Init constant(float value) {
        return (be, shape) -> TensorScope.outside(() -> Tensor.full(be, value, shape));
    }

    static Init zeros() {
        return constant(0f);
    }

    static Init ones() {
        return constant(1f);
    }
}
