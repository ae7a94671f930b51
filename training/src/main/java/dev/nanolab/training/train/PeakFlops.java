package dev.nanolab.training.train;

import dev.nanolab.api.backend.Backend;
import dev.nanolab.api.tensor.Rng;
import dev.nanolab.api.tensor.Tensor;
import dev.nanolab.api.tensor.TensorScope;

/**
 * The peak MFU is measured against, when the user sets none: the backend's own figure ({@link Backend#peakFlops()},
 * a fused multiply-add measurement on the CPU), or else the best of a few 768×768×768 matrix products on it.
 */
public final class PeakFlops {
    private PeakFlops() {}

    public static double measure(Backend be) {
        double own = be.peakFlops();
        return Double.isNaN(own) || own <= 0 ? gemm(be) : own;
    }

    /** The best GEMM rate this backend reaches, after a warm-up, in about a second. */
    static double gemm(Backend be) {
        int n = 768;
        try (TensorScope s = TensorScope.open()) {
            Rng r = new Rng(0);
            Tensor a = Tensor.randn(be, r, 1f, n, n), b = Tensor.randn(be, r, 1f, n, n), c = Tensor.zeros(be, n, n);
            double best = 0;
            long deadline = System.nanoTime() + 1_000_000_000L;
            for (int i = 0; i < 3 || System.nanoTime() < deadline; i++) {
                long t0 = System.nanoTime();
                be.gemm().matmul(1, n, n, n, 1f, a.matrix(), b.matrix(), c.matrix(), false);
                double secs = (System.nanoTime() - t0) / 1e9;
                best = Math.max(best, 2.0 * n * n * n / secs);
                if (i > 200) break;
            }
            return best;
        }
    }
}
