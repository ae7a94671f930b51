package dev.nanolab.optimizers;

import dev.nanolab.api.backend.Backend;
import dev.nanolab.api.tensor.Tensor;
import dev.nanolab.api.tensor.TensorScope;

/** Helpers shared by the optimizer tests. */
final class Fixtures {
    private Fixtures() {}

    /** A parameter holding {@code values}, named, requiring a gradient, allocated outside any scope. */
    static Tensor param(Backend be, String name, float[] values, int... shape) {
        return TensorScope.outside(() -> Tensor.of(be, values, shape).requiresGrad(true).name(name));
    }

    /** Makes {@code grad} the parameter's gradient, through autograd: d/dp Σ p·G = G. */
    static void setGrad(Tensor p, float[] grad) {
        p.zeroGrad();
        try (TensorScope s = TensorScope.open()) {
            p.mul(Tensor.of(p.backend(), grad, p.shape().dims())).sum().backward();
        }
    }

    /** Deterministic values in [lo, hi), from a simple hash of (seed, i), independent of any library RNG. */
    static float[] values(int n, long seed, float lo, float hi) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            long h = (seed * 0x9E3779B97F4A7C15L) ^ (i * 0xC2B2AE3D27D4EB4FL);
            h ^= h >>> 31;
            h *= 0xBF58476D1CE4E5B9L;
            h ^= h >>> 29;
            v[i] = lo + (hi - lo) * ((h >>> 40) / (float) (1L << 24));
        }
        return v;
    }

    /** Gradients of magnitude in [0.5, 1) with mixed signs: no coordinate sits near zero, so signs are stable. */
    static float[] gradients(int n, long seed) {
        float[] mag = values(n, seed, 0.5f, 1f), sign = values(n, seed + 1000, -1f, 1f);
        for (int i = 0; i < n; i++) if (sign[i] < 0) mag[i] = -mag[i];
        return mag;
    }

    static double[] toDouble(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) d[i] = x[i];
        return d;
    }
}
