package dev.nanolab.training.train;

import dev.nanolab.api.backend.Backend;
import dev.nanolab.api.tensor.Rng;
import dev.nanolab.api.tensor.Tensor;
import dev.nanolab.api.tensor.TensorScope;

/**
 * The peak MFU is measured against, when the user sets none: the best of a few 768×768×768 matrix products on this
 * backend, about half a second. So MFU here means "fraction of what this backend's GEMM achieves", which on a shared
 * 2-core machine is the honest ceiling.
 */
public final class PeakFlops {
    private PeakFlops() {}

    public static double measure(Backend be) {
        int n = 768;
        try (TensorScope s = TensorScope.open()) {
            Rng r = new Rng(0);
            Tensor a = Tensor.randn(be, r, 1f, n, n), b = Tensor.randn(be, r, 1f, n, n), c = Tensor.zeros(be, n, n);
            double best = 0;
            long deadline = System.nanoTime() + 500_000_000L;
            for (int i = 0; i < 3 || System.nanoTime() < deadline; i++) {
                long t0 = System.nanoTime();
                be.gemm().matmul(1, n, n, n, 1f, a.storage(), 0, 0, false, b.storage(), 0, 0, false, c.storage(), 0, 0, false);
                double secs = (System.nanoTime() - t0) / 1e9;
                best = Math.max(best, 2.0 * n * n * n / secs);
                if (i > 50) break;
            }
            return best;
        }
    }
}
