package dev.nanolab.cpu.kernels;

import static dev.nanolab.cpu.memory.CpuStorage.floats;

import dev.nanolab.api.backend.OptimizerKernels;
import dev.nanolab.api.backend.Storage;
import dev.nanolab.api.backend.ext.FusedOptimizerKernels;
import dev.nanolab.cpu.parallel.WorkerPool;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/** Fused optimizer updates: one multi-threaded, vectorised pass per parameter tensor. */
public final class CpuOptimizerKernels implements OptimizerKernels, FusedOptimizerKernels {
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
    public void sgd(Storage ps, Storage gs, Storage bufs, long n, Storage hs, int ho) {
        float[] p = floats(ps), g = floats(gs), buf = bufs == null ? null : floats(bufs), hyper = floats(hs);
        float lr = hyper[ho + SGD_LR], momentum = hyper[ho + SGD_MOMENTUM], wd = hyper[ho + SGD_WEIGHT_DECAY];
        float bufDecay = hyper[ho + SGD_BUFFER_DECAY], bufGrad = hyper[ho + SGD_BUFFER_GRAD];
        float scale = hyper[ho + SGD_GRAD_SCALE];
        boolean nesterov = hyper[ho + SGD_NESTEROV] != 0f;
        pool.parallelFor((int) n, 6, CpuPointwise.PARALLEL_MIN, (from, to) -> {
            int i = from;
            for (int bound = from + Vec.S.loopBound(to - from); i < bound; i += Vec.W) {
                FloatVector pv = FloatVector.fromArray(Vec.S, p, i);
                FloatVector d = FloatVector.fromArray(Vec.S, g, i).mul(scale).add(pv.mul(wd));
                if (buf != null) {
                    FloatVector bv = FloatVector.fromArray(Vec.S, buf, i).mul(bufDecay).add(d.mul(bufGrad));
                    bv.intoArray(buf, i);
                    d = nesterov ? d.add(bv.mul(momentum)) : bv;
                }
                pv.sub(d.mul(lr)).intoArray(p, i);
            }
            for (; i < to; i++) {
                float d = g[i] * scale + p[i] * wd;
                if (buf != null) {
                    float b = buf[i] * bufDecay + d * bufGrad;
                    buf[i] = b;
                    d = nesterov ? d + b * momentum : b;
                }
                p[i] = p[i] - d * lr;
            }
        });
    }

    @Override
    public void rmsprop(Storage ps, Storage gs, Storage sqs, Storage gas, Storage bufs, long n, Storage hs, int ho) {
        float[] p = floats(ps), g = floats(gs), sq = floats(sqs), hyper = floats(hs);
        float[] ga = gas == null ? null : floats(gas), buf = bufs == null ? null : floats(bufs);
        float lr = hyper[ho + RMSPROP_LR], alpha = hyper[ho + RMSPROP_ALPHA], eps = hyper[ho + RMSPROP_EPS];
        float wd = hyper[ho + RMSPROP_WEIGHT_DECAY], momentum = hyper[ho + RMSPROP_MOMENTUM];
        float scale = hyper[ho + RMSPROP_GRAD_SCALE];
        pool.parallelFor((int) n, 10, CpuPointwise.PARALLEL_MIN, (from, to) -> {
            int i = from;
            for (int bound = from + Vec.S.loopBound(to - from); i < bound; i += Vec.W) {
                FloatVector pv = FloatVector.fromArray(Vec.S, p, i);
                FloatVector d = FloatVector.fromArray(Vec.S, g, i).mul(scale).add(pv.mul(wd));
                FloatVector sv = FloatVector.fromArray(Vec.S, sq, i).mul(alpha).add(d.mul(d).mul(1f - alpha));
                sv.intoArray(sq, i);
                FloatVector variance = sv;
                if (ga != null) {
                    FloatVector av = FloatVector.fromArray(Vec.S, ga, i).mul(alpha).add(d.mul(1f - alpha));
                    av.intoArray(ga, i);
                    variance = sv.sub(av.mul(av));
                }
                FloatVector step = d.div(variance.lanewise(VectorOperators.SQRT).add(eps));
                if (buf != null) {
                    step = FloatVector.fromArray(Vec.S, buf, i).mul(momentum).add(step);
                    step.intoArray(buf, i);
                }
                pv.sub(step.mul(lr)).intoArray(p, i);
            }
            for (; i < to; i++) {
                float d = g[i] * scale + p[i] * wd;
                float s = sq[i] * alpha + d * d * (1f - alpha);
                sq[i] = s;
                float variance = s;
                if (ga != null) {
                    float a = ga[i] * alpha + d * (1f - alpha);
                    ga[i] = a;
                    variance = s - a * a;
                }
                float step = d / ((float) Math.sqrt(variance) + eps);
                if (buf != null) {
                    step = buf[i] * momentum + step;
                    buf[i] = step;
                }
                p[i] = p[i] - step * lr;
            }
        });
    }

    @Override
    public void adam(Storage ps, Storage gs, Storage ms, Storage vs, long n, Storage hs, int ho) {
        float[] p = floats(ps), g = floats(gs), m = floats(ms), v = floats(vs), hyper = floats(hs);
        float lr = hyper[ho + LR], b1 = hyper[ho + BETA1], b2 = hyper[ho + BETA2], eps = hyper[ho + EPS];
        float wd = hyper[ho + WEIGHT_DECAY], bc1 = hyper[ho + BIAS_CORRECTION1], bc2 = hyper[ho + BIAS_CORRECTION2];
        float scale = hyper[ho + GRAD_SCALE];
        // torch: denom = √v/√bc2 + eps; p −= (lr/bc1)·m/denom.
        float stepSize = lr / bc1, invSqrtBc2 = (float) (1 / Math.sqrt(bc2));
        pool.parallelFor((int) n, 12, CpuPointwise.PARALLEL_MIN, (from, to) -> {
            int i = from;
            for (int bound = from + Vec.S.loopBound(to - from); i < bound; i += Vec.W) {
                FloatVector pv = FloatVector.fromArray(Vec.S, p, i);
                FloatVector d = FloatVector.fromArray(Vec.S, g, i).mul(scale).add(pv.mul(wd));
                FloatVector mv = FloatVector.fromArray(Vec.S, m, i).mul(b1).add(d.mul(1f - b1));
                FloatVector vv = FloatVector.fromArray(Vec.S, v, i).mul(b2).add(d.mul(d).mul(1f - b2));
                mv.intoArray(m, i);
                vv.intoArray(v, i);
                FloatVector denom = vv.lanewise(VectorOperators.SQRT).mul(invSqrtBc2).add(eps);
                pv.sub(mv.mul(stepSize).div(denom)).intoArray(p, i);
            }
            for (; i < to; i++) {
                float d = g[i] * scale + p[i] * wd;
                float mi = m[i] * b1 + d * (1f - b1);
                float vi = v[i] * b2 + d * d * (1f - b2);
                m[i] = mi;
                v[i] = vi;
                p[i] = p[i] - mi * stepSize / ((float) Math.sqrt(vi) * invSqrtBc2 + eps);
            }
        });
    }

    @Override
    public void lion(Storage ps, Storage gs, Storage ms, long n, Storage hs, int ho) {
        float[] p = floats(ps), g = floats(gs), m = floats(ms), hyper = floats(hs);
        float lr = hyper[ho + LION_LR], b1 = hyper[ho + LION_BETA1], b2 = hyper[ho + LION_BETA2];
        float decay = 1f - lr * hyper[ho + LION_WEIGHT_DECAY], scale = hyper[ho + LION_GRAD_SCALE];
        pool.parallelFor((int) n, 6, CpuPointwise.PARALLEL_MIN, (from, to) -> {
            int i = from;
            for (int bound = from + Vec.S.loopBound(to - from); i < bound; i += Vec.W) {
                FloatVector gv = FloatVector.fromArray(Vec.S, g, i).mul(scale);
                FloatVector mv = FloatVector.fromArray(Vec.S, m, i);
                FloatVector c = mv.mul(b1).add(gv.mul(1f - b1));
                FloatVector pv = FloatVector.fromArray(Vec.S, p, i);
                pv.mul(decay).sub(sign(c).mul(lr)).intoArray(p, i);
                mv.mul(b2).add(gv.mul(1f - b2)).intoArray(m, i);
            }
            for (; i < to; i++) {
                float gi = g[i] * scale;
                float c = m[i] * b1 + gi * (1f - b1);
                p[i] = p[i] * decay - sign(c) * lr;
                m[i] = m[i] * b2 + gi * (1f - b2);
            }
        });
    }

    /** torch.sign: 1, −1 or 0, and NaN stays NaN (so a diverged run shows as NaN rather than freezing). */
    private static FloatVector sign(FloatVector c) {
        FloatVector zero = FloatVector.zero(Vec.S);
        return zero.blend(1f, c.compare(VectorOperators.GT, 0f)).blend(-1f, c.compare(VectorOperators.LT, 0f))
                .blend(c, c.test(VectorOperators.IS_NAN));
    }

    private static float sign(float c) {
        return c > 0f ? 1f : c < 0f ? -1f : c == c ? 0f : c;
    }

    @Override
    public void muonMomentum(Storage gs, Storage bufs, Storage us, long n, Storage hs, int ho) {
        float[] g = floats(gs), buf = floats(bufs), u = floats(us), hyper = floats(hs);
        float mu = hyper[ho + MUON_MOMENTUM], scale = hyper[ho + MUON_GRAD_SCALE];
        boolean nesterov = hyper[ho + MUON_NESTEROV] != 0f;
        pool.parallelFor((int) n, 5, CpuPointwise.PARALLEL_MIN, (from, to) -> {
            int i = from;
            for (int bound = from + Vec.S.loopBound(to - from); i < bound; i += Vec.W) {
                FloatVector gv = FloatVector.fromArray(Vec.S, g, i).mul(scale);
                FloatVector bv = FloatVector.fromArray(Vec.S, buf, i).mul(mu).add(gv.mul(1f - mu));
                bv.intoArray(buf, i);
                (nesterov ? gv.mul(1f - mu).add(bv.mul(mu)) : bv).intoArray(u, i);
            }
            for (; i < to; i++) {
                float gi = g[i] * scale;
                float b = buf[i] * mu + gi * (1f - mu);
                buf[i] = b;
                u[i] = nesterov ? gi * (1f - mu) + b * mu : b;
            }
        });
    }

    @Override
    public void muonNormalize(Storage xs, long n, Storage hs, int ho) {
        float[] x = floats(xs), hyper = floats(hs);
        float inv = 1f / ((float) Math.sqrt(hyper[ho + MUON_SUM_OF_SQUARES]) + hyper[ho + MUON_EPS]);
        pool.parallelFor((int) n, 2, CpuPointwise.PARALLEL_MIN, (from, to) -> Vec.scale(x, from, to - from, inv));
    }

    @Override
    public void muonUpdate(Storage ps, Storage os, long n, Storage hs, int ho) {
        float[] p = floats(ps), o = floats(os), hyper = floats(hs);
        float lr = hyper[ho + MUON_LR];
        float decay = 1f - lr * hyper[ho + MUON_WEIGHT_DECAY], step = lr * hyper[ho + MUON_UPDATE_SCALE];
        pool.parallelFor((int) n, 3, CpuPointwise.PARALLEL_MIN, (from, to) -> {
            int i = from;
            for (int bound = from + Vec.S.loopBound(to - from); i < bound; i += Vec.W)
                FloatVector.fromArray(Vec.S, p, i).mul(decay).sub(FloatVector.fromArray(Vec.S, o, i).mul(step)).intoArray(p, i);
            for (; i < to; i++) p[i] = p[i] * decay - o[i] * step;
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
