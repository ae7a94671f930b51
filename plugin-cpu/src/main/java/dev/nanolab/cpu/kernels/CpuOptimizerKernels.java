package dev.nanolab.cpu.kernels;

import static dev.nanolab.cpu.memory.CpuStorage.floats;

import dev.nanolab.api.backend.OptimizerKernels;
import dev.nanolab.api.backend.Storage;
import dev.nanolab.cpu.parallel.WorkerPool;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/** Fused optimizer updates: one multi-threaded, vectorised pass per parameter tensor. */
public final class CpuOptimizerKernels implements OptimizerKernels {
    /** Elements per block of the sum of squares: partial sums per block, added in block order. */
    private static final int SUM_BLOCK = 4096;
    private final WorkerPool pool;

    public CpuOptimizerKernels(WorkerPool pool) {
        this.pool = pool;
    }

    @Override
    public void adamw(Storage ps, Storage gs, Storage ms, Storage vs, long n, Storage hs, int ho) {
        float[] p = floats(ps), g = floats(gs), m = floats(ms), v = floats(vs), hyper = floats(hs);
        float lr = hyper[ho + LR], b1 = hyper[ho + BETA1], b2 = hyper[ho + BETA2], eps = hyper[ho + EPS];
        float wd = hyper[ho + WEIGHT_DECAY], bc1 = hyper[ho + BIAS_CORRECTION1], bc2 = hyper[ho + BIAS_CORRECTION2];
        float gs0 = hyper[ho + GRAD_SCALE];
        // p −= lr·(m̂/(√v̂+eps) + wd·p), with m̂ = m/bc1, v̂ = v/bc2.
        float stepScale = lr / bc1, vScale = 1f / bc2, decay = 1f - lr * wd;
        pool.parallelFor((int) n, 12, CpuPointwise.PARALLEL_MIN, (from, to) -> {
            int i = from;
            for (int bound = from + Vec.S.loopBound(to - from); i < bound; i += Vec.W) {
                FloatVector gv = FloatVector.fromArray(Vec.S, g, i).mul(gs0);
                FloatVector mv = FloatVector.fromArray(Vec.S, m, i).mul(b1).add(gv.mul(1f - b1));
                FloatVector vv = FloatVector.fromArray(Vec.S, v, i).mul(b2).add(gv.mul(gv).mul(1f - b2));
                mv.intoArray(m, i);
                vv.intoArray(v, i);
                FloatVector denom = vv.mul(vScale).lanewise(VectorOperators.SQRT).add(eps);
                FloatVector pv = FloatVector.fromArray(Vec.S, p, i).mul(decay).sub(mv.mul(stepScale).div(denom));
                pv.intoArray(p, i);
            }
            for (; i < to; i++) {
                float gi = g[i] * gs0;
                float mi = b1 * m[i] + (1f - b1) * gi;
                float vi = b2 * v[i] + (1f - b2) * gi * gi;
                m[i] = mi;
                v[i] = vi;
                p[i] = p[i] * decay - stepScale * mi / ((float) Math.sqrt(vi * vScale) + eps);
            }
        });
    }

    @Override
    public void sumOfSquares(Storage xs, long n, Storage outs, int outIndex, boolean accumulate) {
        float[] x = floats(xs), out = floats(outs);
        int blocks = (int) ((n + SUM_BLOCK - 1) / SUM_BLOCK);
        double[] part = new double[blocks];
        pool.parallelFor(blocks, SUM_BLOCK, CpuPointwise.PARALLEL_MIN, (bf, bt) -> {
            for (int blk = bf; blk < bt; blk++) {
                int o = blk * SUM_BLOCK;
                part[blk] = Vec.dot(x, o, x, o, (int) Math.min(SUM_BLOCK, n - o));
            }
        });
        double s = 0;
        for (double d : part) s += d;
        out[outIndex] = (float) (accumulate ? out[outIndex] + s : s);
    }

    @Override
    public void clipScale(Storage sumSq, int sumIndex, float maxNorm, Storage hs, int scaleIndex) {
        float norm = (float) Math.sqrt(floats(sumSq)[sumIndex]);
        floats(hs)[scaleIndex] = maxNorm <= 0 ? 1f : Math.min(1f, maxNorm / (norm + 1e-6f));
    }
}
