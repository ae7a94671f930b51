package dev.nanolab.cpu.kernels;

import static dev.nanolab.cpu.memory.CpuStorage.floats;
import static dev.nanolab.cpu.memory.CpuStorage.floatsOrNull;

import dev.nanolab.api.backend.Attention;
import dev.nanolab.api.backend.AttentionArgs;
import dev.nanolab.api.backend.CausalMask;
import dev.nanolab.api.backend.Dropout;
import dev.nanolab.api.backend.Storage;
import dev.nanolab.cpu.parallel.WorkerPool;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;

/**
 * Fused causal attention, one (batch, head) pair per task. For each pair the keys and values are packed transposed
 * (D × Tk) so a block of scores {@code s_j = scale·q·k_j} is D vector FMAs across j; each query row then runs an
 * online softmax over key blocks of {@link #KEY_BLOCK}: a running max m, denominator l and output accumulator are
 * rescaled when the max grows, so no row of T scores, let alone T×T, is ever kept. The backward recomputes the
 * probabilities from the saved log-sum-exp.
 *
 * <p>Memory layout: see {@link AttentionArgs}. The extra logit (softmax1, or a learned sink per head) is a virtual
 * key with a zero value vector: it enters the denominator only.
 */
public final class CpuAttention implements Attention {
    static final int KEY_BLOCK = 64;
    private final WorkerPool pool;

    public CpuAttention(WorkerPool pool) {
        this.pool = pool;
    }

    @Override
    public void forward(AttentionArgs a, Storage qs, long qOff, int qRow, Storage ks, long kOff, int kRow, Storage vs,
                        long vOff, int vRow, Storage outs, long outOff, int outRow, Storage lses, Storage sinkStorage) {
        float[] q = floats(qs), k = floats(ks), v = floats(vs), out = floats(outs), lse = floats(lses);
        float[] sinks = floatsOrNull(sinkStorage);
        int pairs = a.batch() * a.heads();
        long cost = (long) a.queries() * a.keys() * a.headDim() * 2 / 2;
        pool.parallelFor(pairs, cost, CpuPointwise.PARALLEL_MIN, (from, to) -> {
            for (int pair = from; pair < to; pair++)
                forwardPair(a, pair, q, (int) qOff, qRow, k, (int) kOff, kRow, v, (int) vOff, vRow, out, (int) outOff,
                        outRow, lse, sinks);
        });
    }

    private static void forwardPair(AttentionArgs a, int pair, float[] q, int qOff, int qRow, float[] k, int kOff,
                                    int kRow, float[] v, int vOff, int vRow, float[] out, int outOff, int outRow,
                                    float[] lse, float[] sinks) {
        int b = pair / a.heads(), h = pair % a.heads(), D = a.headDim(), Tq = a.queries(), Tk = a.keys();
        CausalMask mask = a.mask();
        int kEnd = Math.min(Tk, mask.endKey(Tq - 1));
        float[] kT = Scratch.get(0, D * Tk);
        packTransposed(k, kOff + b * Tk * kRow + h * D, kRow, kT, D, Tk, kEnd);
        float[] s = Scratch.get(1, KEY_BLOCK);
        float[] acc = Scratch.get(2, D);
        float extra = sinks != null ? sinks[h] : a.extraLogit();
        float dropScale = a.dropout() > 0 ? 1f / (1f - a.dropout()) : 1f;
        for (int i = 0; i < Tq; i++) {
            int qi = qOff + (b * Tq + i) * qRow + h * D;
            int j0 = mask.firstKey(i), j1 = mask.endKey(i);
            // Online softmax state; the extra term starts it: m = e, l = exp(e − m) = 1.
            float m = extra, l = extra == Float.NEGATIVE_INFINITY ? 0f : 1f;
            Arrays.fill(acc, 0, D, 0f);
            for (int jb = j0; jb < j1; jb += KEY_BLOCK) {
                int n = Math.min(KEY_BLOCK, j1 - jb);
                scores(q, qi, kT, Tk, jb, n, D, a.scale(), s);
                float bm = Vec.max(s, 0, n);
                float mNew = Math.max(m, bm);
                if (mNew > m && m != Float.NEGATIVE_INFINITY) {
                    float c = VecMath.exp(m - mNew);
                    l *= c;
                    Vec.scale(acc, 0, D, c);
                }
                m = mNew;
                l += Vec.expShiftSum(s, 0, n, m);
                for (int t = 0; t < n; t++) {
                    float p = s[t];
                    if (a.dropout() > 0) {
                        long idx = ((long) pair * Tq + i) * Tk + jb + t;
                        p = Dropout.keep(a.dropoutSeed(), idx, a.dropout()) ? p * dropScale : 0f;
                    }
                    if (p != 0f) Vec.axpy(p, v, vOff + (b * Tk + jb + t) * vRow + h * D, acc, 0, D);
                }
            }
            float inv = 1f / l;
            int oi = outOff + (b * Tq + i) * outRow + h * D;
            for (int d = 0; d < D; d++) out[oi + d] = acc[d] * inv;
            lse[pair * Tq + i] = m + (float) StrictMath.log(l);
        }
    }

    /** dst[d·ld + j] = src[srcOff + j·row + d] for j < n: a head's rows, transposed. */
    private static void packTransposed(float[] src, int srcOff, int row, float[] dst, int D, int ld, int n) {
        for (int j = 0; j < n; j++) {
            int o = srcOff + j * row;
            for (int d = 0; d < D; d++) dst[d * ld + j] = src[o + d];
        }
    }

    /** s[t] = scale · Σ_d q[qi+d] · kT[d][jb+t] for t < n, vectorised across t. */
    private static void scores(float[] q, int qi, float[] kT, int ld, int jb, int n, int D, float scale, float[] s) {
        int t = 0;
        for (int bound = Vec.S.loopBound(n); t < bound; t += Vec.W) {
            FloatVector acc = FloatVector.zero(Vec.S);
            for (int d = 0; d < D; d++)
                acc = FloatVector.fromArray(Vec.S, kT, d * ld + jb + t).fma(FloatVector.broadcast(Vec.S, q[qi + d]), acc);
            acc.mul(scale).intoArray(s, t);
        }
        for (; t < n; t++) {
            float acc = 0;
            for (int d = 0; d < D; d++) acc += q[qi + d] * kT[d * ld + jb + t];
            s[t] = acc * scale;
        }
    }

    @Override
    public void backward(AttentionArgs a, Storage qs, long qOff, int qRow, Storage ks, long kOff, int kRow, Storage vs,
                         long vOff, int vRow, Storage outs, long outOff, int outRow, Storage dOuts, long dOutOff,
                         int dOutRow, Storage lses, Storage sinkStorage, Storage dqs, long dqOff, int dqRow, Storage dks,
                         long dkOff, int dkRow, Storage dvs, long dvOff, int dvRow, Storage dSinkStorage,
                         boolean accumulate) {
        float[] q = floats(qs), k = floats(ks), v = floats(vs), out = floats(outs), dOut = floats(dOuts), lse = floats(lses);
        float[] sinks = floatsOrNull(sinkStorage), dSinks = floatsOrNull(dSinkStorage);
        float[] dq = floats(dqs), dk = floats(dks), dv = floats(dvs);
        int pairs = a.batch() * a.heads();
        // Per-pair sink gradients, summed over the batch in pair order afterwards: deterministic for any thread count.
        float[] sinkPart = dSinks == null ? null : new float[pairs];
        long cost = (long) a.queries() * a.keys() * a.headDim() * 3;
        pool.parallelFor(pairs, cost, CpuPointwise.PARALLEL_MIN, (from, to) -> {
            for (int pair = from; pair < to; pair++)
                backwardPair(a, pair, q, (int) qOff, qRow, k, (int) kOff, kRow, v, (int) vOff, vRow, out, (int) outOff,
                        outRow, dOut, (int) dOutOff, dOutRow, lse, sinks, dq, (int) dqOff, dqRow, dk, (int) dkOff,
                        dkRow, dv, (int) dvOff, dvRow, sinkPart, accumulate);
        });
        if (dSinks != null)
            for (int pair = 0; pair < pairs; pair++) dSinks[pair % a.heads()] += sinkPart[pair];
    }

    private static void backwardPair(AttentionArgs a, int pair, float[] q, int qOff, int qRow, float[] k, int kOff,
                                     int kRow, float[] v, int vOff, int vRow, float[] out, int outOff, int outRow,
                                     float[] dOut, int dOutOff, int dOutRow, float[] lse, float[] sinks, float[] dq,
                                     int dqOff, int dqRow, float[] dk, int dkOff, int dkRow, float[] dv, int dvOff,
                                     int dvRow, float[] sinkPart, boolean accumulate) {
        int b = pair / a.heads(), h = pair % a.heads(), D = a.headDim(), Tq = a.queries(), Tk = a.keys();
        CausalMask mask = a.mask();
        int kEnd = Math.min(Tk, mask.endKey(Tq - 1));
        float[] kT = Scratch.get(0, D * Tk);
        float[] vT = Scratch.get(1, D * Tk);
        packTransposed(k, kOff + b * Tk * kRow + h * D, kRow, kT, D, Tk, kEnd);
        packTransposed(v, vOff + b * Tk * vRow + h * D, vRow, vT, D, Tk, kEnd);
        float[] dkAcc = Scratch.get(2, Tk * D), dvAcc = Scratch.get(3, Tk * D);
        Arrays.fill(dkAcc, 0, Tk * D, 0f);
        Arrays.fill(dvAcc, 0, Tk * D, 0f);
        float[] s = Scratch.get(4, KEY_BLOCK), dp = Scratch.get(5, KEY_BLOCK), dqAcc = Scratch.get(6, D);
        float extra = sinks != null ? sinks[h] : a.extraLogit();
        float drop = a.dropout(), dropScale = drop > 0 ? 1f / (1f - drop) : 1f;
        float sinkGrad = 0f;
        for (int i = 0; i < Tq; i++) {
            int qi = qOff + (b * Tq + i) * qRow + h * D;
            int gi = dOutOff + (b * Tq + i) * dOutRow + h * D;
            int oi = outOff + (b * Tq + i) * outRow + h * D;
            float rowLse = lse[pair * Tq + i];
            // D_i = dO_i · O_i = Σ_j p_ij dp_ij, the softmax backward's row term.
            float di = Vec.dot(dOut, gi, out, oi, D);
            if (sinkPart != null) sinkGrad -= VecMath.exp(extra - rowLse) * di;
            Arrays.fill(dqAcc, 0, D, 0f);
            int j0 = mask.firstKey(i), j1 = mask.endKey(i);
            for (int jb = j0; jb < j1; jb += KEY_BLOCK) {
                int n = Math.min(KEY_BLOCK, j1 - jb);
                scores(q, qi, kT, Tk, jb, n, D, a.scale(), s);
                scores(dOut, gi, vT, Tk, jb, n, D, 1f, dp);
                for (int t = 0; t < n; t++) {
                    int j = jb + t;
                    float p = VecMath.exp(s[t] - rowLse);
                    float f = 1f;
                    if (drop > 0) f = Dropout.keep(a.dropoutSeed(), ((long) pair * Tq + i) * Tk + j, drop) ? dropScale : 0f;
                    if (p * f != 0f) Vec.axpy(p * f, dOut, gi, dvAcc, j * D, D);
                    float ds = p * (f * dp[t] - di) * a.scale();
                    if (ds != 0f) {
                        Vec.axpy(ds, k, kOff + (b * Tk + j) * kRow + h * D, dqAcc, 0, D);
                        Vec.axpy(ds, q, qi, dkAcc, j * D, D);
                    }
                }
            }
            int dqi = dqOff + (b * Tq + i) * dqRow + h * D;
            for (int d = 0; d < D; d++) dq[dqi + d] = accumulate ? dq[dqi + d] + dqAcc[d] : dqAcc[d];
        }
        for (int j = 0; j < Tk; j++) {
            int dki = dkOff + (b * Tk + j) * dkRow + h * D, dvi = dvOff + (b * Tk + j) * dvRow + h * D;
            for (int d = 0; d < D; d++) {
                dk[dki + d] = accumulate ? dk[dki + d] + dkAcc[j * D + d] : dkAcc[j * D + d];
                dv[dvi + d] = accumulate ? dv[dvi + d] + dvAcc[j * D + d] : dvAcc[j * D + d];
            }
        }
        if (sinkPart != null) sinkPart[pair] = sinkGrad;
    }
}
