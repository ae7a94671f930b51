package dev.nanolab.benchmarks.optim;

import dev.nanolab.api.backend.Backend;
import dev.nanolab.api.backend.ext.FusedOptimizerKernels;
import dev.nanolab.api.backend.Storage;
import dev.nanolab.api.tensor.Tensor;
import dev.nanolab.cpu.CpuBackend;
import dev.nanolab.cpu.parallel.WorkerPool;
import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The fused optimizer kernels on arrays of n floats, beside two memory-bandwidth references run with the same worker
 * pool split and vector width, for {@link OptimBench} and {@link OptimBandwidth}:
 * <ul>
 *   <li>{@code triad}: STREAM's a[i] = b[i] + s·c[i], 12 bytes per element (2 reads, 1 write; the write-allocate read
 *       of a missing line is not counted, as STREAM does not count it);</li>
 *   <li>{@code axpy}: y[i] += s·x[i], 12 bytes (2 reads, 1 write to a line already read): the in-place access
 *       pattern of the optimizer kernels, so the fairest ceiling for them.</li>
 * </ul>
 * Bytes per element count each array read once and each array written once: adamw and adam 28 (read p, g, m, v;
 * write p, m, v), sgd with momentum, rmsprop and lion 20, muon's momentum 16 (read g, buf; write buf, update) and
 * update 12 (read p, O; write p).
 */
public final class OptimKernelFixture implements AutoCloseable {
    public enum Kernel {
        TRIAD(12), AXPY(12), ADAMW(28), ADAM(28), SGD_NESTEROV(20), RMSPROP(20), LION(20), MUON_MOMENTUM(16), MUON_UPDATE(12);

        public final int bytesPerElement;

        Kernel(int bytesPerElement) {
            this.bytesPerElement = bytesPerElement;
        }
    }

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Where each layout's hyper block starts in the one hyper storage (AdamW's, shared by Adam, at 0). */
    private static final int BLOCK = 8, SGD = BLOCK, RMSPROP = 2 * BLOCK, LION = 3 * BLOCK, MUON = 4 * BLOCK;

    private final int n;
    private final Backend backend;
    private final WorkerPool pool;
    private final FusedOptimizerKernels kernels;
    private final Storage p, g, s1, s2, hyper;
    private final float[] a, b, c;

    public OptimKernelFixture(int n, int threads) {
        this.n = n;
        backend = new CpuBackend(threads, false);
        pool = new WorkerPool(threads);
        kernels = backend.extension(FusedOptimizerKernels.class).orElseThrow();
        p = Tensor.of(backend, random(n, 1), n).storage();
        g = Tensor.of(backend, random(n, 2), n).storage();
        s1 = Tensor.of(backend, random(n, 3), n).storage();
        s2 = Tensor.zeros(backend, n).storage();
        a = new float[n];
        b = random(n, 4);
        c = random(n, 5);
        hyper = Tensor.of(backend, hyperBlocks(), 5 * BLOCK).storage();
    }

    /** Rates small enough that every value stays normal (no denormal slow paths) however long a run lasts. */
    private static float[] hyperBlocks() {
        float[] h = new float[5 * BLOCK];
        h[FusedOptimizerKernels.LR] = 1e-4f;
        h[FusedOptimizerKernels.BETA1] = 0.9f;
        h[FusedOptimizerKernels.BETA2] = 0.95f;
        h[FusedOptimizerKernels.EPS] = 1e-8f;
        h[FusedOptimizerKernels.WEIGHT_DECAY] = 0.1f;
        h[FusedOptimizerKernels.BIAS_CORRECTION1] = 0.5f;
        h[FusedOptimizerKernels.BIAS_CORRECTION2] = 0.5f;
        h[FusedOptimizerKernels.GRAD_SCALE] = 1f;
        h[SGD + FusedOptimizerKernels.SGD_LR] = 1e-4f;
        h[SGD + FusedOptimizerKernels.SGD_MOMENTUM] = 0.9f;
        h[SGD + FusedOptimizerKernels.SGD_BUFFER_DECAY] = 0.9f;
        h[SGD + FusedOptimizerKernels.SGD_BUFFER_GRAD] = 1f;
        h[SGD + FusedOptimizerKernels.SGD_NESTEROV] = 1f;
        h[SGD + FusedOptimizerKernels.SGD_WEIGHT_DECAY] = 0.1f;
        h[SGD + FusedOptimizerKernels.SGD_GRAD_SCALE] = 1f;
        h[RMSPROP + FusedOptimizerKernels.RMSPROP_LR] = 1e-4f;
        h[RMSPROP + FusedOptimizerKernels.RMSPROP_ALPHA] = 0.99f;
        h[RMSPROP + FusedOptimizerKernels.RMSPROP_EPS] = 1e-8f;
        h[RMSPROP + FusedOptimizerKernels.RMSPROP_WEIGHT_DECAY] = 0.1f;
        h[RMSPROP + FusedOptimizerKernels.RMSPROP_GRAD_SCALE] = 1f;
        h[LION + FusedOptimizerKernels.LION_LR] = 1e-4f;
        h[LION + FusedOptimizerKernels.LION_BETA1] = 0.9f;
        h[LION + FusedOptimizerKernels.LION_BETA2] = 0.99f;
        h[LION + FusedOptimizerKernels.LION_WEIGHT_DECAY] = 0.1f;
        h[LION + FusedOptimizerKernels.LION_GRAD_SCALE] = 1f;
        h[MUON + FusedOptimizerKernels.MUON_LR] = 1e-6f;
        h[MUON + FusedOptimizerKernels.MUON_MOMENTUM] = 0.95f;
        h[MUON + FusedOptimizerKernels.MUON_NESTEROV] = 1f;
        h[MUON + FusedOptimizerKernels.MUON_EPS] = 1e-7f;
        h[MUON + FusedOptimizerKernels.MUON_UPDATE_SCALE] = 1f;
        h[MUON + FusedOptimizerKernels.MUON_GRAD_SCALE] = 1f;
        return h;
    }

    /** Runs one call of the kernel; returns the bytes it moved. */
    public long run(Kernel k) {
        switch (k) {
            case TRIAD -> triad();
            case AXPY -> axpy();
            case ADAMW -> kernels.adamw(p, g, s1, s2, n, hyper, 0);
            case ADAM -> kernels.adam(p, g, s1, s2, n, hyper, 0);
            case SGD_NESTEROV -> kernels.sgd(p, g, s1, n, hyper, SGD);
            case RMSPROP -> kernels.rmsprop(p, g, s2, null, null, n, hyper, RMSPROP);
            case LION -> kernels.lion(p, g, s1, n, hyper, LION);
            case MUON_MOMENTUM -> kernels.muonMomentum(g, s1, s2, n, hyper, MUON);
            case MUON_UPDATE -> kernels.muonUpdate(p, g, n, hyper, MUON);
        }
        return (long) k.bytesPerElement * n;
    }

    private void triad() {
        float s = 0.5f;
        float[] a = this.a, b = this.b, c = this.c;
        pool.parallelFor(n, 3, 1 << 15, (from, to) -> {
            int i = from;
            for (int bound = from + S.loopBound(to - from); i < bound; i += S.length())
                FloatVector.fromArray(S, b, i).add(FloatVector.fromArray(S, c, i).mul(s)).intoArray(a, i);
            for (; i < to; i++) a[i] = b[i] + s * c[i];
        });
    }

    private void axpy() {
        float s = 1e-6f;
        float[] b = this.b, c = this.c;
        pool.parallelFor(n, 3, 1 << 15, (from, to) -> {
            int i = from;
            for (int bound = from + S.loopBound(to - from); i < bound; i += S.length())
                FloatVector.fromArray(S, c, i).mul(s).add(FloatVector.fromArray(S, b, i)).intoArray(b, i);
            for (; i < to; i++) b[i] += s * c[i];
        });
    }

    private static float[] random(int length, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] x = new float[length];
        for (int i = 0; i < length; i++) x[i] = (float) rnd.nextDouble(-1, 1);
        return x;
    }

    @Override
    public void close() {
        pool.close();
        backend.close();
    }
}
