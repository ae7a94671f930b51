package dev.nanolab.cpu.kernels;

import static dev.nanolab.cpu.memory.CpuStorage.floats;
import static dev.nanolab.cpu.memory.CpuStorage.floatsOrNull;

import dev.nanolab.api.backend.Attention;
import dev.nanolab.api.backend.AttentionArgs;
import dev.nanolab.api.backend.AttentionGradients;
import dev.nanolab.api.backend.AttentionOperands;
import dev.nanolab.api.backend.RowView;
import dev.nanolab.cpu.parallel.WorkerPool;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;

/**
 * Fused causal attention, one (batch, head) pair per task, flash-style: queries are taken {@link #ROWS} at a time and
 * keys {@link #KEY_BLOCK} at a time; a tile of scores is computed, folded into each row's running max, denominator and
 * output accumulator (rescaled when the max grows), and dropped. Only a ROWS × KEY_BLOCK tile of scores ever exists,
 * never a row of T, let alone T × T. The backward recomputes the same tiles from the saved log-sum-exp.
 *
 * <p>Register tiling, why: with head sizes of 32 to 64, a score is a short dot product; computing ROWS queries against
 * 16 keys at once loads each key vector once for ROWS multiply-adds, and the weighted sum of values keeps ROWS output
 * vectors in registers while the value rows stream past.
 *
 * <p>Memory layout: see {@link AttentionArgs}. Per pair, keys (and values, in the backward) are packed transposed,
 * D × Tk, so a tile of scores is D vector FMAs across 16 keys; values (and keys, for dq) are read as the rows they
 * already are, a head's D floats at a stride of the activation's row. The extra logit (softmax1, or a learned sink per head) is a virtual key with a zero value vector: it
 * enters the denominator only.
 *
 * <p>Clipped softmax (p = clamp((ζ − γ)·softmax + γ, 0, 1)) cannot use the online softmax; its two-pass kernels are in
 * {@link ClippedAttention}, on the same tiles and packing.
 */
public final class CpuAttention implements Attention {
    static final int KEY_BLOCK = 128;
    static final int ROWS = 4;
    private static final int W = Vec.W;
    private final WorkerPool pool;

    public CpuAttention(WorkerPool pool) {
        this.pool = pool;
    }

    // ------------------------------------------------------------------ forward

    @Override
    public void forward(AttentionArgs a, AttentionOperands x) {
        float[] q = floats(x.q().storage()), k = floats(x.k().storage()), v = floats(x.v().storage());
        float[] out = floats(x.out().storage()), lse = floats(x.lse()), sinks = floatsOrNull(x.sinkLogits());
        long qOff = x.q().offset(), kOff = x.k().offset(), vOff = x.v().offset(), outOff = x.out().offset();
        int qRow = x.q().rowStride(), kRow = x.k().rowStride(), vRow = x.v().rowStride(), outRow = x.out().rowStride();
        int pairs = a.batch() * a.heads();
        long cost = (long) a.queries() * a.keys() * a.headDim() * 2;
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
        MaskRows mask = MaskRows.of(a.mask(), b);
        int kEnd = Math.min(Tk, mask.endKey(Tq - 1));
        float[] kT = Scratch.get(0, D * Tk);
        packTransposed(k, kOff + b * Tk * kRow + h * D, kRow, kT, D, Tk, kEnd);
        int vBase = vOff + b * Tk * vRow + h * D;
        float[] s = Scratch.get(2, ROWS * KEY_BLOCK), keepScale = Scratch.get(3, KEY_BLOCK);
        // Online softmax state per row: the running max m, and the denominator l as W lane sums.
        float[] acc = Scratch.get(4, ROWS * D), max = Scratch.get(5, ROWS), sums = Scratch.get(6, ROWS * W);
        int[] qo = new int[ROWS];
        float extra = sinks != null ? sinks[h] : a.extraLogit();
        float drop = a.dropout(), dropScale = drop > 0 ? 1f / (1f - drop) : 1f;
        for (int i0 = 0; i0 < Tq; i0 += ROWS) {
            int rows = Math.min(ROWS, Tq - i0);
            tileRows(qo, qOff + b * Tq * qRow + h * D, qRow, i0, rows);
            // The extra term starts each row: m = e, l = exp(e − m) = 1.
            Arrays.fill(sums, 0, rows * W, 0f);
            for (int r = 0; r < rows; r++) {
                max[r] = extra;
                sums[r * W] = extra == Float.NEGATIVE_INFINITY ? 0f : 1f;
            }
            Arrays.fill(acc, 0, rows * D, 0f);
            int first = mask.firstKey(i0), last = mask.endKey(i0 + rows - 1);
            int jStart = tileStart(first, last, kEnd), jEnd = tileEnd(first, last, kEnd);
            for (int jb = jStart; jb < jEnd; jb += KEY_BLOCK) {
                int n = Math.min(KEY_BLOCK, jEnd - jb);
                scoreTile(q, qo, kT, Tk, jb, n, D, a.scale(), s, KEY_BLOCK);
                for (int r = 0; r < rows; r++) {
                    int i = i0 + r, lo = Math.max(mask.firstKey(i), jb) - jb, hi = Math.min(mask.endKey(i), jb + n) - jb;
                    int so = r * KEY_BLOCK;
                    if (lo >= hi) {
                        Arrays.fill(s, so, so + n, 0f);
                        continue;
                    }
                    // Keys outside the row's range score −∞, so exp weighs them 0 and the block's exps run in whole
                    // vectors; the scores become the weights in place.
                    Arrays.fill(s, so, so + lo, Float.NEGATIVE_INFINITY);
                    Arrays.fill(s, so + hi, so + n, Float.NEGATIVE_INFINITY);
                    float m = max[r], mNew = Math.max(m, Vec.max(s, so, n));
                    if (mNew > m && m != Float.NEGATIVE_INFINITY) {
                        float c = VecMath.exp(m - mNew);
                        Vec.scale(sums, r * W, W, c);
                        Vec.scale(acc, r * D, D, c);
                    }
                    Vec.expShiftAccumulate(s, so, n, mNew, sums, r * W);
                    max[r] = mNew;
                    if (drop > 0) {
                        // keep ? w·scale : 0 as w·(scale or 0): the weights are finite, so the product is the same.
                        DropoutMask.multipliers(a.dropoutSeed(), ((long) pair * Tq + i) * Tk + jb + lo, hi - lo, drop,
                                dropScale, keepScale, 0);
                        for (int t = lo; t < hi; t++) s[so + t] *= keepScale[t - lo];
                    }
                }
                weightedRows(s, KEY_BLOCK, v, vBase, vRow, jb, n, D, acc, rows);
            }
            for (int r = 0; r < rows; r++) {
                float l = 0f;
                for (int t = 0; t < W; t++) l += sums[r * W + t];
                float inv = 1f / l;
                int oi = outOff + (b * Tq + i0 + r) * outRow + h * D;
                for (int d = 0; d < D; d++) out[oi + d] = acc[r * D + d] * inv;
                lse[pair * Tq + i0 + r] = max[r] + (float) StrictMath.log(l);
            }
        }
    }

    // ------------------------------------------------------------------ tiles

    /*
     * The keys a tile of queries visits: its rows' union [first, end), widened to a whole number of vectors within
     * the packed keys [0, packed), so every score tile runs full vector lanes. A window's tile spans w + ROWS − 1 keys
     * (67 for w = 64): without the widening, the last 3 were a scalar loop over D for every query row, as slow as the
     * 64-key block before them. The widened keys are masked row by row like any other (weight 0, never in a max or a
     * sum), so the function is unchanged.
     */

    static int tileEnd(int first, int end, int packed) {
        return Math.min(packed, first + roundUpToVector(end - first));
    }

    static int tileStart(int first, int end, int packed) {
        return Math.max(0, tileEnd(first, end, packed) - roundUpToVector(end - first));
    }

    private static int roundUpToVector(int n) {
        return (n + W - 1) / W * W;
    }

    /**
     * dst[d·ld + j] = src[srcOff + j·row + d] for j &lt; n: a head's rows, transposed. A vector of 16 keys' d-th
     * elements is one gather from 16 rows, stored whole: a third faster than element by element.
     */
    static void packTransposed(float[] src, int srcOff, int row, float[] dst, int D, int ld, int n) {
        int[] rows = new int[W];
        for (int r = 0; r < W; r++) rows[r] = r * row;
        int j = 0;
        for (; j + W <= n; j += W)
            for (int d = 0; d < D; d++)
                FloatVector.fromArray(Vec.S, src, srcOff + j * row + d, rows, 0).intoArray(dst, d * ld + j);
        for (; j < n; j++) {
            int o = srcOff + j * row;
            for (int d = 0; d < D; d++) dst[d * ld + j] = src[o + d];
        }
    }

    /**
     * A pair's operands for a backward (keys from kBase, values from vBase, n of Tk packed): kT and vT transposed for
     * the score tiles (dq reads the key rows where they are); and the dk, dv accumulators cleared.
     */
    static void packForBackward(float[] k, int kBase, int kRow, float[] v, int vBase, int vRow, int D, int Tk, int n,
                                float[] kT, float[] vT, float[] dkAcc, float[] dvAcc) {
        packTransposed(k, kBase, kRow, kT, D, Tk, n);
        packTransposed(v, vBase, vRow, vT, D, Tk, n);
        Arrays.fill(dkAcc, 0, Tk * D, 0f);
        Arrays.fill(dvAcc, 0, Tk * D, 0f);
    }

    /**
     * xo[r] = base + (i0 + r)·row, the offsets of a tile's ROWS query rows; past the last of {@code rows} valid rows it
     * repeats that row, so the tile helpers always read ROWS real rows.
     */
    static void tileRows(int[] xo, int base, int row, int i0, int rows) {
        for (int r = 0; r < ROWS; r++) xo[r] = base + (i0 + Math.min(r, rows - 1)) * row;
    }

    /**
     * s[r·sld + t] = scale · Σ_d x[xo[r] + d] · kT[d·ld + jb + t] for ROWS rows and t &lt; n: four dot products per
     * loaded key vector. sld is KEY_BLOCK for a tile, Tk for the clipped softmax's whole-row strips. Two key vectors
     * at a time, why: an FMA's result is ready four cycles later and two issue per cycle, so four accumulators leave
     * the FMA units half idle; eight fill them. Each score's sum runs over d in the same order either way.
     */
    static void scoreTile(float[] x, int[] xo, float[] kT, int ld, int jb, int n, int D, float scale, float[] s,
                                  int sld) {
        int x0 = xo[0], x1 = xo[1], x2 = xo[2], x3 = xo[3];
        int t = 0;
        for (; t + 2 * W <= n; t += 2 * W) {
            FloatVector a0 = FloatVector.zero(Vec.S), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
            for (int d = 0; d < D; d++) {
                int o = d * ld + jb + t;
                FloatVector kv = FloatVector.fromArray(Vec.S, kT, o), kw = FloatVector.fromArray(Vec.S, kT, o + W);
                FloatVector q0 = FloatVector.broadcast(Vec.S, x[x0 + d]), q1 = FloatVector.broadcast(Vec.S, x[x1 + d]);
                FloatVector q2 = FloatVector.broadcast(Vec.S, x[x2 + d]), q3 = FloatVector.broadcast(Vec.S, x[x3 + d]);
                a0 = kv.fma(q0, a0);
                b0 = kw.fma(q0, b0);
                a1 = kv.fma(q1, a1);
                b1 = kw.fma(q1, b1);
                a2 = kv.fma(q2, a2);
                b2 = kw.fma(q2, b2);
                a3 = kv.fma(q3, a3);
                b3 = kw.fma(q3, b3);
            }
            a0.mul(scale).intoArray(s, t);
            b0.mul(scale).intoArray(s, t + W);
            a1.mul(scale).intoArray(s, sld + t);
            b1.mul(scale).intoArray(s, sld + t + W);
            a2.mul(scale).intoArray(s, 2 * sld + t);
            b2.mul(scale).intoArray(s, 2 * sld + t + W);
            a3.mul(scale).intoArray(s, 3 * sld + t);
            b3.mul(scale).intoArray(s, 3 * sld + t + W);
        }
        for (int bound = Vec.S.loopBound(n); t < bound; t += W) {
            FloatVector a0 = FloatVector.zero(Vec.S), a1 = a0, a2 = a0, a3 = a0;
            for (int d = 0; d < D; d++) {
                FloatVector kv = FloatVector.fromArray(Vec.S, kT, d * ld + jb + t);
                a0 = kv.fma(FloatVector.broadcast(Vec.S, x[x0 + d]), a0);
                a1 = kv.fma(FloatVector.broadcast(Vec.S, x[x1 + d]), a1);
                a2 = kv.fma(FloatVector.broadcast(Vec.S, x[x2 + d]), a2);
                a3 = kv.fma(FloatVector.broadcast(Vec.S, x[x3 + d]), a3);
            }
            a0.mul(scale).intoArray(s, t);
            a1.mul(scale).intoArray(s, sld + t);
            a2.mul(scale).intoArray(s, 2 * sld + t);
            a3.mul(scale).intoArray(s, 3 * sld + t);
        }
        for (; t < n; t++) {
            float c0 = 0, c1 = 0, c2 = 0, c3 = 0;
            for (int d = 0; d < D; d++) {
                float kv = kT[d * ld + jb + t];
                c0 += x[x0 + d] * kv;
                c1 += x[x1 + d] * kv;
                c2 += x[x2 + d] * kv;
                c3 += x[x3 + d] * kv;
            }
            s[t] = c0 * scale;
            s[sld + t] = c1 * scale;
            s[2 * sld + t] = c2 * scale;
            s[3 * sld + t] = c3 * scale;
        }
    }

    /**
     * acc[r·D + d] += Σ_t w[r·wld + t] · rows[base + (jb + t)·stride + d] for r &lt; count: each loaded row vector
     * feeds every query row's accumulator; two vectors of d at a time, for eight accumulators (see
     * {@link #scoreTile}). The rows are read where they are (a head's slice of a (B·T, C) activation): no copy.
     */
    static void weightedRows(float[] w, int wld, float[] rowData, int base, int stride, int jb, int n, int D,
                             float[] acc, int count) {
        int d = 0;
        for (; d + 2 * W <= D; d += 2 * W) {
            FloatVector a0 = FloatVector.fromArray(Vec.S, acc, d), a1 = count > 1 ? FloatVector.fromArray(Vec.S, acc, D + d) : a0;
            FloatVector a2 = count > 2 ? FloatVector.fromArray(Vec.S, acc, 2 * D + d) : a0;
            FloatVector a3 = count > 3 ? FloatVector.fromArray(Vec.S, acc, 3 * D + d) : a0;
            FloatVector b0 = FloatVector.fromArray(Vec.S, acc, d + W), b1 = count > 1 ? FloatVector.fromArray(Vec.S, acc, D + d + W) : b0;
            FloatVector b2 = count > 2 ? FloatVector.fromArray(Vec.S, acc, 2 * D + d + W) : b0;
            FloatVector b3 = count > 3 ? FloatVector.fromArray(Vec.S, acc, 3 * D + d + W) : b0;
            for (int t = 0; t < n; t++) {
                int o = base + (jb + t) * stride + d;
                FloatVector vv = FloatVector.fromArray(Vec.S, rowData, o), vw = FloatVector.fromArray(Vec.S, rowData, o + W);
                FloatVector w0 = FloatVector.broadcast(Vec.S, w[t]), w1 = FloatVector.broadcast(Vec.S, w[wld + t]);
                FloatVector w2 = FloatVector.broadcast(Vec.S, w[2 * wld + t]), w3 = FloatVector.broadcast(Vec.S, w[3 * wld + t]);
                a0 = vv.fma(w0, a0);
                b0 = vw.fma(w0, b0);
                a1 = vv.fma(w1, a1);
                b1 = vw.fma(w1, b1);
                a2 = vv.fma(w2, a2);
                b2 = vw.fma(w2, b2);
                a3 = vv.fma(w3, a3);
                b3 = vw.fma(w3, b3);
            }
            a0.intoArray(acc, d);
            b0.intoArray(acc, d + W);
            if (count > 1) { a1.intoArray(acc, D + d); b1.intoArray(acc, D + d + W); }
            if (count > 2) { a2.intoArray(acc, 2 * D + d); b2.intoArray(acc, 2 * D + d + W); }
            if (count > 3) { a3.intoArray(acc, 3 * D + d); b3.intoArray(acc, 3 * D + d + W); }
        }
        for (int bound = Vec.S.loopBound(D); d < bound; d += W) {
            FloatVector a0 = FloatVector.fromArray(Vec.S, acc, d), a1 = count > 1 ? FloatVector.fromArray(Vec.S, acc, D + d) : a0;
            FloatVector a2 = count > 2 ? FloatVector.fromArray(Vec.S, acc, 2 * D + d) : a0;
            FloatVector a3 = count > 3 ? FloatVector.fromArray(Vec.S, acc, 3 * D + d) : a0;
            for (int t = 0; t < n; t++) {
                FloatVector vv = FloatVector.fromArray(Vec.S, rowData, base + (jb + t) * stride + d);
                a0 = vv.fma(FloatVector.broadcast(Vec.S, w[t]), a0);
                a1 = vv.fma(FloatVector.broadcast(Vec.S, w[wld + t]), a1);
                a2 = vv.fma(FloatVector.broadcast(Vec.S, w[2 * wld + t]), a2);
                a3 = vv.fma(FloatVector.broadcast(Vec.S, w[3 * wld + t]), a3);
            }
            a0.intoArray(acc, d);
            if (count > 1) a1.intoArray(acc, D + d);
            if (count > 2) a2.intoArray(acc, 2 * D + d);
            if (count > 3) a3.intoArray(acc, 3 * D + d);
        }
        for (; d < D; d++)
            for (int r = 0; r < count; r++) {
                float c = acc[r * D + d];
                for (int t = 0; t < n; t++) c += w[r * wld + t] * rowData[base + (jb + t) * stride + d];
                acc[r * D + d] = c;
            }
    }

    /**
     * dst[j·D + d] += Σ_r w[r·wld + t] · x[xo[r] + d] for the t-th key j = jb + t: the transposed product. A vector of
     * d at a time with the tile's ROWS x vectors held in registers, so each key costs one load and one store of dst
     * for four FMAs (keys outside every row's range, all four weights 0, are skipped).
     */
    static void accumulateKeys(float[] w, int wld, float[] x, int[] xo, int count, int jb, int n, int D,
                                       float[] dst) {
        int d = 0;
        for (int bound = Vec.S.loopBound(D); d < bound; d += W) {
            FloatVector x0 = FloatVector.fromArray(Vec.S, x, xo[0] + d), x1 = FloatVector.fromArray(Vec.S, x, xo[1] + d);
            FloatVector x2 = FloatVector.fromArray(Vec.S, x, xo[2] + d), x3 = FloatVector.fromArray(Vec.S, x, xo[3] + d);
            for (int t = 0; t < n; t++) {
                float w0 = w[t], w1 = w[wld + t], w2 = w[2 * wld + t], w3 = w[3 * wld + t];
                if (w0 == 0f && w1 == 0f && w2 == 0f && w3 == 0f) continue;
                int o = (jb + t) * D + d;
                FloatVector acc = x0.fma(FloatVector.broadcast(Vec.S, w0), FloatVector.fromArray(Vec.S, dst, o));
                if (count > 1) acc = x1.fma(FloatVector.broadcast(Vec.S, w1), acc);
                if (count > 2) acc = x2.fma(FloatVector.broadcast(Vec.S, w2), acc);
                if (count > 3) acc = x3.fma(FloatVector.broadcast(Vec.S, w3), acc);
                acc.intoArray(dst, o);
            }
        }
        for (; d < D; d++)
            for (int t = 0; t < n; t++) {
                float w0 = w[t], w1 = w[wld + t], w2 = w[2 * wld + t], w3 = w[3 * wld + t];
                if (w0 == 0f && w1 == 0f && w2 == 0f && w3 == 0f) continue;
                int o = (jb + t) * D + d;
                float c = dst[o] + w0 * x[xo[0] + d];
                if (count > 1) c += w1 * x[xo[1] + d];
                if (count > 2) c += w2 * x[xo[2] + d];
                if (count > 3) c += w3 * x[xo[3] + d];
                dst[o] = c;
            }
    }

    // ------------------------------------------------------------------ backward

    @Override
    public void backward(AttentionArgs a, AttentionOperands x, RowView dO, AttentionGradients grads) {
        float[] q = floats(x.q().storage()), k = floats(x.k().storage()), v = floats(x.v().storage());
        float[] out = floats(x.out().storage()), dOut = floats(dO.storage()), lse = floats(x.lse());
        float[] sinks = floatsOrNull(x.sinkLogits()), dSinks = floatsOrNull(grads.dSinkLogits());
        float[] dq = floats(grads.dq().storage()), dk = floats(grads.dk().storage()), dv = floats(grads.dv().storage());
        long qOff = x.q().offset(), kOff = x.k().offset(), vOff = x.v().offset(), outOff = x.out().offset();
        long dOutOff = dO.offset(), dqOff = grads.dq().offset(), dkOff = grads.dk().offset(), dvOff = grads.dv().offset();
        int qRow = x.q().rowStride(), kRow = x.k().rowStride(), vRow = x.v().rowStride(), outRow = x.out().rowStride();
        int dOutRow = dO.rowStride(), dqRow = grads.dq().rowStride(), dkRow = grads.dk().rowStride();
        int dvRow = grads.dv().rowStride();
        boolean accumulate = grads.accumulate();
        int pairs = a.batch() * a.heads();
        // Per-pair sink gradients, summed over the batch in pair order afterwards: deterministic for any thread count.
        float[] sinkPart = dSinks == null ? null : new float[pairs];
        long cost = (long) a.queries() * a.keys() * a.headDim() * 5;
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
        MaskRows mask = MaskRows.of(a.mask(), b);
        int kEnd = Math.min(Tk, mask.endKey(Tq - 1));
        float[] kT = Scratch.get(0, D * Tk), vT = Scratch.get(1, D * Tk);
        float[] dkAcc = Scratch.get(3, Tk * D), dvAcc = Scratch.get(4, Tk * D);
        int kBase = kOff + b * Tk * kRow + h * D;
        packForBackward(k, kBase, kRow, v, vOff + b * Tk * vRow + h * D, vRow, D, Tk, kEnd, kT, vT, dkAcc, dvAcc);
        float[] s = Scratch.get(5, ROWS * KEY_BLOCK), dp = Scratch.get(6, ROWS * KEY_BLOCK);
        float[] pTile = Scratch.get(7, ROWS * KEY_BLOCK), dsTile = Scratch.get(8, ROWS * KEY_BLOCK);
        float[] dqAcc = Scratch.get(9, ROWS * D), rowTerm = Scratch.get(10, ROWS), keepScale = Scratch.get(11, KEY_BLOCK);
        int[] qo = new int[ROWS], go = new int[ROWS];
        float extra = sinks != null ? sinks[h] : a.extraLogit();
        float drop = a.dropout(), dropScale = drop > 0 ? 1f / (1f - drop) : 1f, scale = a.scale();
        float sinkGrad = 0f;
        for (int i0 = 0; i0 < Tq; i0 += ROWS) {
            int rows = Math.min(ROWS, Tq - i0);
            tileRows(qo, qOff + b * Tq * qRow + h * D, qRow, i0, rows);
            tileRows(go, dOutOff + b * Tq * dOutRow + h * D, dOutRow, i0, rows);
            for (int r = 0; r < rows; r++) {
                // D_i = dO_i · O_i = Σ_j p_ij dp_ij, the softmax backward's row term.
                float di = Vec.dot(dOut, go[r], out, outOff + (b * Tq + i0 + r) * outRow + h * D, D);
                rowTerm[r] = di;
                if (sinkPart != null) sinkGrad -= VecMath.exp(extra - lse[pair * Tq + i0 + r]) * di;
            }
            Arrays.fill(dqAcc, 0, ROWS * D, 0f);
            int first = mask.firstKey(i0), last = mask.endKey(i0 + rows - 1);
            int jStart = tileStart(first, last, kEnd), jEnd = tileEnd(first, last, kEnd);
            for (int jb = jStart; jb < jEnd; jb += KEY_BLOCK) {
                int n = Math.min(KEY_BLOCK, jEnd - jb);
                scoreTile(q, qo, kT, Tk, jb, n, D, scale, s, KEY_BLOCK);
                scoreTile(dOut, go, vT, Tk, jb, n, D, 1f, dp, KEY_BLOCK);
                for (int r = 0; r < ROWS; r++) {
                    int so = r * KEY_BLOCK;
                    if (r >= rows) {
                        Arrays.fill(pTile, so, so + n, 0f);
                        Arrays.fill(dsTile, so, so + n, 0f);
                        continue;
                    }
                    int i = i0 + r, lo = Math.max(mask.firstKey(i), jb) - jb, hi = Math.min(mask.endKey(i), jb + n) - jb;
                    float rowLse = lse[pair * Tq + i], di = rowTerm[r];
                    float[] f = null;
                    if (drop > 0f && lo < hi) {
                        f = keepScale;
                        DropoutMask.multipliers(a.dropoutSeed(), ((long) pair * Tq + i) * Tk + jb + lo, hi - lo, drop,
                                dropScale, f, 0);
                    }
                    probabilityRow(s, dp, so, lo, hi, n, rowLse, di, scale, f, pTile, dsTile);
                }
                // dq_i += Σ_j ds_ij k_j; dk_j += Σ_i ds_ij q_i; dv_j += Σ_i p'_ij dO_i.
                weightedRows(dsTile, KEY_BLOCK, k, kBase, kRow, jb, n, D, dqAcc, rows);
                accumulateKeys(dsTile, KEY_BLOCK, q, qo, rows, jb, n, D, dkAcc);
                accumulateKeys(pTile, KEY_BLOCK, dOut, go, rows, jb, n, D, dvAcc);
            }
            storeQueryGrads(dqAcc, rows, D, dq, dqOff + (b * Tq + i0) * dqRow + h * D, dqRow, accumulate);
        }
        storeKeyGrads(dkAcc, dvAcc, Tk, D, dk, dkOff + b * Tk * dkRow + h * D, dkRow, dv, dvOff + b * Tk * dvRow + h * D, dvRow,
                accumulate);
        if (sinkPart != null) sinkPart[pair] = sinkGrad;
    }

    /**
     * One tile row of the backward, vectorised: p = exp(s − lse) and ds = p·(dp − D_i)·scale over the row's keys
     * [lo, hi), zeros elsewhere; with dropout (f: the kept keys' 1/(1−p) or 0, from lo on) the dropped-out weight p·f
     * and ds = p·(f·dp − D_i)·scale. The same operations, in the same order, in the vector body and the scalar tail.
     */
    static void probabilityRow(float[] s, float[] dp, int so, int lo, int hi, int n, float rowLse, float di,
                               float scale, float[] f, float[] pTile, float[] dsTile) {
        int from = Math.min(Math.max(lo, 0), n), to = Math.min(Math.max(hi, from), n), t = from;
        Arrays.fill(pTile, so, so + from, 0f);
        Arrays.fill(dsTile, so, so + from, 0f);
        if (f == null) {
            for (; t + W <= to; t += W) {
                FloatVector p = VecMath.exp(FloatVector.fromArray(Vec.S, s, so + t).sub(rowLse));
                p.intoArray(pTile, so + t);
                p.mul(FloatVector.fromArray(Vec.S, dp, so + t).sub(di)).mul(scale).intoArray(dsTile, so + t);
            }
            for (; t < to; t++) {
                float p = VecMath.exp(s[so + t] - rowLse);
                pTile[so + t] = p;
                dsTile[so + t] = p * (dp[so + t] - di) * scale;
            }
        } else {
            for (; t + W <= to; t += W) {
                FloatVector p = VecMath.exp(FloatVector.fromArray(Vec.S, s, so + t).sub(rowLse));
                FloatVector fv = FloatVector.fromArray(Vec.S, f, t - lo);
                p.mul(fv).intoArray(pTile, so + t);
                p.mul(fv.mul(FloatVector.fromArray(Vec.S, dp, so + t)).sub(di)).mul(scale).intoArray(dsTile, so + t);
            }
            for (; t < to; t++) {
                float p = VecMath.exp(s[so + t] - rowLse), ft = f[t - lo];
                pTile[so + t] = p * ft;
                dsTile[so + t] = p * (ft * dp[so + t] - di) * scale;
            }
        }
        Arrays.fill(pTile, so + to, so + n, 0f);
        Arrays.fill(dsTile, so + to, so + n, 0f);
    }

    /** dq rows of a tile (row stride dqRow from dqBase) = or += the tile's accumulators. */
    static void storeQueryGrads(float[] dqAcc, int rows, int D, float[] dq, int dqBase, int dqRow, boolean accumulate) {
        for (int r = 0; r < rows; r++) {
            int dqi = dqBase + r * dqRow;
            for (int d = 0; d < D; d++) dq[dqi + d] = accumulate ? dq[dqi + d] + dqAcc[r * D + d] : dqAcc[r * D + d];
        }
    }

    /** A pair's dk and dv rows (Tk of them, from their bases) = or += its packed accumulators. */
    static void storeKeyGrads(float[] dkAcc, float[] dvAcc, int Tk, int D, float[] dk, int dkBase, int dkRow, float[] dv,
                              int dvBase, int dvRow, boolean accumulate) {
        for (int j = 0; j < Tk; j++) {
            int dki = dkBase + j * dkRow, dvi = dvBase + j * dvRow;
            for (int d = 0; d < D; d++) {
                dk[dki + d] = accumulate ? dk[dki + d] + dkAcc[j * D + d] : dkAcc[j * D + d];
                dv[dvi + d] = accumulate ? dv[dvi + d] + dvAcc[j * D + d] : dvAcc[j * D + d];
            }
        }
    }
}
