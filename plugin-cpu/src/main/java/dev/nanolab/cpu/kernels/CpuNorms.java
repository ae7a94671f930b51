package dev.nanolab.cpu.kernels;

import static dev.nanolab.cpu.memory.CpuStorage.floats;
import static dev.nanolab.cpu.memory.CpuStorage.floatsOrNull;

import dev.nanolab.api.backend.Norms;
import dev.nanolab.api.backend.LayerGradients;
import dev.nanolab.api.backend.Storage;
import dev.nanolab.cpu.parallel.WorkerPool;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;

/**
 * Layer norm and RMS norm over rows of length dim. Parameter gradients are summed per fixed block of rows into a
 * partial, and the partials added in block order: the result is the same whatever the thread count.
 */
public final class CpuNorms implements Norms {
    /** Rows per parameter-gradient partial. */
    private static final int BLOCK = 32;
    private final WorkerPool pool;

    public CpuNorms(WorkerPool pool) {
        this.pool = pool;
    }

    @Override
    public void layerNorm(Storage xs, Storage ws, Storage bs, Storage ys, Storage means, Storage rstds, int rows, int dim, float eps) {
        float[] x = floats(xs), w = floatsOrNull(ws), b = floatsOrNull(bs), y = floats(ys), mean = floats(means), rstd = floats(rstds);
        pool.parallelFor(rows, 4L * dim, CpuPointwise.PARALLEL_MIN, (from, to) -> {
            for (int r = from; r < to; r++) {
                int o = r * dim;
                float m = Vec.sum(x, o, dim) / dim;
                // Two passes: the variance of centred values, not E[x²] − m², which cancels badly.
                FloatVector vm = FloatVector.broadcast(Vec.S, m);
                FloatVector acc = FloatVector.zero(Vec.S);
                int i = 0;
                for (int bound = Vec.S.loopBound(dim); i < bound; i += Vec.W) {
                    FloatVector d = FloatVector.fromArray(Vec.S, x, o + i).sub(vm);
                    acc = d.fma(d, acc);
                }
                float var = VecMath.hsum(acc);
                for (; i < dim; i++) var += (x[o + i] - m) * (x[o + i] - m);
                var /= dim;
                float s = (float) (1.0 / Math.sqrt(var + eps));
                mean[r] = m;
                rstd[r] = s;
                i = 0;
                FloatVector vs = FloatVector.broadcast(Vec.S, s);
                for (int bound = Vec.S.loopBound(dim); i < bound; i += Vec.W) {
                    FloatVector n = FloatVector.fromArray(Vec.S, x, o + i).sub(vm).mul(vs);
                    if (w != null) n = n.mul(FloatVector.fromArray(Vec.S, w, i));
                    if (b != null) n = n.add(FloatVector.fromArray(Vec.S, b, i));
                    n.intoArray(y, o + i);
                }
                for (; i < dim; i++) {
                    float n = (x[o + i] - m) * s;
                    if (w != null) n *= w[i];
                    if (b != null) n += b[i];
                    y[o + i] = n;
                }
            }
        });
    }

    @Override
    public void layerNormBackward(Storage dys, Storage xs, Storage ws, Storage means, Storage rstds, LayerGradients grads,
                                  int rows, int dim) {
        float[] dy = floats(dys), x = floats(xs), w = floatsOrNull(ws), mean = floats(means), rstd = floats(rstds);
        float[] dx = floats(grads.dx()), dw = floatsOrNull(grads.dWeight()), db = floatsOrNull(grads.dBias());
        boolean accumulateDx = grads.accumulateDx(), accumulateParams = grads.accumulateParams();
        int blocks = (rows + BLOCK - 1) / BLOCK;
        float[] partW = dw == null ? null : new float[blocks * dim];
        float[] partB = db == null ? null : new float[blocks * dim];
        int W = Vec.W;
        pool.parallelFor(blocks, (long) BLOCK * 8 * dim, CpuPointwise.PARALLEL_MIN, (bf, bt) -> {
            float[] dnorm = new float[dim], lanes = new float[2 * W];
            for (int blk = bf; blk < bt; blk++) {
                int r1 = Math.min(rows, (blk + 1) * BLOCK), pw = blk * dim;
                for (int r = blk * BLOCK; r < r1; r++) {
                    int o = r * dim;
                    float m = mean[r], s = rstd[r];
                    // llm.c's layernorm_backward: dnorm = w·dy; dx = (dnorm − mean(dnorm) − n·mean(dnorm·n))·rstd.
                    // The two row sums run as W lane sums, added up lane 0 first (the same bits every run).
                    FloatVector accD = FloatVector.zero(Vec.S), accDN = accD;
                    int i = 0;
                    for (int bound = Vec.S.loopBound(dim); i < bound; i += W) {
                        FloatVector g = FloatVector.fromArray(Vec.S, dy, o + i);
                        FloatVector n = FloatVector.fromArray(Vec.S, x, o + i).sub(m).mul(s);
                        FloatVector d = w == null ? g : FloatVector.fromArray(Vec.S, w, i).mul(g);
                        d.intoArray(dnorm, i);
                        accD = accD.add(d);
                        accDN = accDN.add(d.mul(n));
                        if (partW != null) FloatVector.fromArray(Vec.S, partW, pw + i).add(g.mul(n)).intoArray(partW, pw + i);
                        if (partB != null) FloatVector.fromArray(Vec.S, partB, pw + i).add(g).intoArray(partB, pw + i);
                    }
                    accD.intoArray(lanes, 0);
                    accDN.intoArray(lanes, W);
                    float sumD = 0, sumDN = 0;
                    for (int l = 0; l < W; l++) {
                        sumD += lanes[l];
                        sumDN += lanes[W + l];
                    }
                    for (; i < dim; i++) {
                        float n = (x[o + i] - m) * s;
                        float d = w == null ? dy[o + i] : w[i] * dy[o + i];
                        dnorm[i] = d;
                        sumD += d;
                        sumDN += d * n;
                        if (partW != null) partW[pw + i] += dy[o + i] * n;
                        if (partB != null) partB[pw + i] += dy[o + i];
                    }
                    float meanD = sumD / dim, meanDN = sumDN / dim;
                    i = 0;
                    for (int bound = Vec.S.loopBound(dim); i < bound; i += W) {
                        FloatVector n = FloatVector.fromArray(Vec.S, x, o + i).sub(m).mul(s);
                        FloatVector g = FloatVector.fromArray(Vec.S, dnorm, i).sub(meanD).sub(n.mul(meanDN)).mul(s);
                        if (accumulateDx) g = FloatVector.fromArray(Vec.S, dx, o + i).add(g);
                        g.intoArray(dx, o + i);
                    }
                    for (; i < dim; i++) {
                        float n = (x[o + i] - m) * s;
                        float g = (dnorm[i] - meanD - n * meanDN) * s;
                        dx[o + i] = accumulateDx ? dx[o + i] + g : g;
                    }
                }
            }
        });
        sumPartials(partW, dw, blocks, dim, accumulateParams);
        sumPartials(partB, db, blocks, dim, accumulateParams);
    }

    /** dst (+)= Σ_blocks part[block], in block order. */
    private static void sumPartials(float[] part, float[] dst, int blocks, int dim, boolean accumulate) {
        if (dst == null) return;
        if (!accumulate) Arrays.fill(dst, 0, dim, 0f);
        for (int blk = 0; blk < blocks; blk++) Vec.axpy(1f, part, blk * dim, dst, 0, dim);
    }

    @Override
    public void rmsNorm(Storage xs, Storage ws, Storage ys, Storage rstds, int rows, int dim, float eps) {
        float[] x = floats(xs), w = floatsOrNull(ws), y = floats(ys), rstd = floats(rstds);
        pool.parallelFor(rows, 3L * dim, CpuPointwise.PARALLEL_MIN, (from, to) -> {
            for (int r = from; r < to; r++) {
                int o = r * dim;
                float ms = Vec.dot(x, o, x, o, dim) / dim;
                float s = (float) (1.0 / Math.sqrt(ms + eps));
                rstd[r] = s;
                for (int i = 0; i < dim; i++) y[o + i] = x[o + i] * s * (w == null ? 1f : w[i]);
            }
        });
    }

    @Override
    public void rmsNormBackward(Storage dys, Storage xs, Storage ws, Storage rstds, LayerGradients grads, int rows, int dim) {
        float[] dy = floats(dys), x = floats(xs), w = floatsOrNull(ws), rstd = floats(rstds);
        float[] dx = floats(grads.dx()), dw = floatsOrNull(grads.dWeight());
        boolean accumulateDx = grads.accumulateDx(), accumulateParams = grads.accumulateParams();
        int blocks = (rows + BLOCK - 1) / BLOCK;
        float[] partW = dw == null ? null : new float[blocks * dim];
        pool.parallelFor(blocks, (long) BLOCK * 6 * dim, CpuPointwise.PARALLEL_MIN, (bf, bt) -> {
            for (int blk = bf; blk < bt; blk++) {
                int r1 = Math.min(rows, (blk + 1) * BLOCK);
                for (int r = blk * BLOCK; r < r1; r++) {
                    int o = r * dim;
                    float s = rstd[r];
                    // y = x·s·w with s = (mean(x²)+eps)^-½: dx = s·(w·dy) − x·s³·mean(w·dy·x)
                    float dot = 0;
                    for (int i = 0; i < dim; i++) dot += (w == null ? 1f : w[i]) * dy[o + i] * x[o + i];
                    float c = s * s * s * dot / dim;
                    for (int i = 0; i < dim; i++) {
                        float g = s * (w == null ? 1f : w[i]) * dy[o + i] - x[o + i] * c;
                        dx[o + i] = accumulateDx ? dx[o + i] + g : g;
                        if (partW != null) partW[blk * dim + i] += dy[o + i] * x[o + i] * s;
                    }
                }
            }
        });
        sumPartials(partW, dw, blocks, dim, accumulateParams);
    }
}
