package dev.nanolab.cpu.kernels;

import static dev.nanolab.cpu.memory.CpuStorage.floats;
import static dev.nanolab.cpu.memory.CpuStorage.floatsOrNull;

import dev.nanolab.api.backend.Attention;
import dev.nanolab.api.backend.AttentionArgs;
import dev.nanolab.api.backend.Dropout;
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
 * D × Tk, so a tile of scores is D vector FMAs across 16 keys; values (and keys, for dq) are also packed as contiguous
 * Tk × D rows. The extra logit (softmax1, or a learned sink per head) is a virtual key with a zero value vector: it
 * enters the denominator only.
 *
 * <p>Clipped softmax (p = clamp((ζ − γ)·softmax + γ, 0, 1)) cannot use the online softmax; its two-pass kernels are in
 * {@link ClippedAttention}, on the same tiles and packing.
 */
public final class CpuAttention implements Attention {
    static final int KEY_BLOCK = 64;
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
        float[] kT = Scratch.get(0, D * Tk), vP = Scratch.get(1, Tk * D);
        packTransposed(k, kOff + b * Tk * kRow + h * D, kRow, kT, D, Tk, kEnd);
        packRows(v, vOff + b * Tk * vRow + h * D, vRow, vP, D, kEnd);
        float[] s = Scratch.get(2, ROWS * KEY_BLOCK), pw = Scratch.get(3, ROWS * KEY_BLOCK);
        float[] acc = Scratch.get(4, ROWS * D), state = Scratch.get(5, 2 * ROWS);
        int[] qo = new int[ROWS];
        float extra = sinks != null ? sinks[h] : a.extraLogit();
        float drop = a.dropout(), dropScale = drop > 0 ? 1f / (1f - drop) : 1f;
        for (int i0 = 0; i0 < Tq; i0 += ROWS) {
            int rows = Math.min(ROWS, Tq - i0);
            tileRows(qo, qOff + b * Tq * qRow + h * D, qRow, i0, rows);
            // Online softmax state per row; the extra term starts it: m = e, l = exp(e − m) = 1.
            for (int r = 0; r < rows; r++) {
                state[r] = extra;
                state[ROWS + r] = extra == Float.NEGATIVE_INFINITY ? 0f : 1f;
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
                    Arrays.fill(pw, so, so + n, 0f);
                    if (lo >= hi) continue;
                    float m = state[r], l = state[ROWS + r];
                    float mNew = Math.max(m, Vec.max(s, so + lo, hi - lo));
                    if (mNew > m && m != Float.NEGATIVE_INFINITY) {
                        float c = VecMath.exp(m - mNew);
                        l *= c;
                        Vec.scale(acc, r * D, D, c);
                    }
                    l += Vec.expShiftSum(s, so + lo, hi - lo, mNew);
                    state[r] = mNew;
                    state[ROWS + r] = l;
                    System.arraycopy(s, so + lo, pw, so + lo, hi - lo);
                    if (drop > 0)
                        for (int t = lo; t < hi; t++) {
                            long idx = ((long) pair * Tq + i) * Tk + jb + t;
                            pw[so + t] = Dropout.keep(a.dropoutSeed(), idx, drop) ? pw[so + t] * dropScale : 0f;
                        }
                }
                weightedRows(pw, KEY_BLOCK, vP, jb, n, D, acc, rows);
            }
            for (int r = 0; r < rows; r++) {
                float inv = 1f / state[ROWS + r];
                int oi = outOff + (b * Tq + i0 + r) * outRow + h * D;
                for (int d = 0; d < D; d++) out[oi + d] = acc[r * D + d] * inv;
                lse[pair * Tq + i0 + r] = state[r] + (float) StrictMath.log(state[ROWS + r]);
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

    /** dst[d·ld + j] = src[srcOff + j·row + d] for j &lt; n: a head's rows, transposed. */
    static void packTransposed(float[] src, int srcOff, int row, float[] dst, int D, int ld, int n) {
        for (int j = 0; j < n; j++) {
            int o = srcOff + j * row;
            for (int d = 0; d < D; d++) dst[d * ld + j] = src[o + d];
        }
    }

    /** dst[j·D + d] = src[srcOff + j·row + d] for j &lt; n: a head's rows, contiguous. */
    static void packRows(float[] src, int srcOff, int row, float[] dst, int D, int n) {
        for (int j = 0; j < n; j++) System.arraycopy(src, srcOff + j * row, dst, j * D, D);
    }

    /**
     * A pair's operands for a backward (keys from kBase, values from vBase, n of Tk packed): kT and vT transposed for
     * the score tiles, kP as rows for dq; and the dk, dv accumulators cleared.
     */
    static void packForBackward(float[] k, int kBase, int kRow, float[] v, int vBase, int vRow, int D, int Tk, int n,
                                float[] kT, float[] vT, float[] kP, float[] dkAcc, float[] dvAcc) {
        packTransposed(k, kBase, kRow, kT, D, Tk, n);
        packTransposed(v, vBase, vRow, vT, D, Tk, n);
        packRows(k, kBase, kRow, kP, D, n);
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
     * loaded key vector. sld is KEY_BLOCK for a tile, Tk for the clipped softmax's whole-row strips.
     */
    static void scoreTile(float[] x, int[] xo, float[] kT, int ld, int jb, int n, int D, float scale, float[] s,
                                  int sld) {
        int x0 = xo[0], x1 = xo[1], x2 = xo[2], x3 = xo[3];
        int t = 0;
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
     * acc[r·D + d] += Σ_t w[r·wld + t] · rows[(jb + t)·D + d] for r &lt; count: each loaded row vector feeds every
     * query row's accumulator.
     */
    static void weightedRows(float[] w, int wld, float[] rowData, int jb, int n, int D, float[] acc, int count) {
        int d = 0;
        for (int bound = Vec.S.loopBound(D); d < bound; d += W) {
            FloatVector a0 = FloatVector.fromArray(Vec.S, acc, d), a1 = count > 1 ? FloatVector.fromArray(Vec.S, acc, D + d) : a0;
            FloatVector a2 = count > 2 ? FloatVector.fromArray(Vec.S, acc, 2 * D + d) : a0;
            FloatVector a3 = count > 3 ? FloatVector.fromArray(Vec.S, acc, 3 * D + d) : a0;
            for (int t = 0; t < n; t++) {
                FloatVector vv = FloatVector.fromArray(Vec.S, rowData, (jb + t) * D + d);
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
                for (int t = 0; t < n; t++) c += w[r * wld + t] * rowData[(jb + t) * D + d];
                acc[r * D + d] = c;
            }
    }

    /** dst[j·D + d] += Σ_r w[r·wld + t] · x[xo[r] + d] for the t-th key j = jb + t: the transposed product. */
    static void accumulateKeys(float[] w, int wld, float[] x, int[] xo, int count, int jb, int n, int D,
                                       float[] dst) {
        for (int t = 0; t < n; t++) {
            float w0 = w[t], w1 = w[wld + t], w2 = w[2 * wld + t], w3 = w[3 * wld + t];
            if (w0 == 0f && w1 == 0f && w2 == 0f && w3 == 0f) continue;
            int o = (jb + t) * D, d = 0;
            for (int bound = Vec.S.loopBound(D); d < bound; d += W) {
                FloatVector acc = FloatVector.fromArray(Vec.S, dst, o + d);
                acc = FloatVector.fromArray(Vec.S, x, xo[0] + d).fma(FloatVector.broadcast(Vec.S, w0), acc);
                if (count > 1) acc = FloatVector.fromArray(Vec.S, x, xo[1] + d).fma(FloatVector.broadcast(Vec.S, w1), acc);
                if (count > 2) acc = FloatVector.fromArray(Vec.S, x, xo[2] + d).fma(FloatVector.broadcast(Vec.S, w2), acc);
                if (count > 3) acc = FloatVector.fromArray(Vec.S, x, xo[3] + d).fma(FloatVector.broadcast(Vec.S, w3), acc);
                acc.intoArray(dst, o + d);
            }
            for (; d < D; d++) {
                float c = dst[o + d] + w0 * x[xo[0] + d];
                if (count > 1) c += w1 * x[xo[1] + d];
                if (count > 2) c += w2 * x[xo[2] + d];
                if (count > 3) c += w3 * x[xo[3] + d];
                dst[o + d] = c;
            }
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
        float[] kT = Scratch.get(0, D * Tk), vT = Scratch.get(1, D * Tk), kP = Scratch.get(2, Tk * D);
        float[] dkAcc = Scratch.get(3, Tk * D), dvAcc = Scratch.get(4, Tk * D);
        packForBackward(k, kOff + b * Tk * kRow + h * D, kRow, v, vOff + b * Tk * vRow + h * D, vRow, D, Tk, kEnd, kT,
                vT, kP, dkAcc, dvAcc);
        float[] s = Scratch.get(5, ROWS * KEY_BLOCK), dp = Scratch.get(6, ROWS * KEY_BLOCK);
        float[] pTile = Scratch.get(7, ROWS * KEY_BLOCK), dsTile = Scratch.get(8, ROWS * KEY_BLOCK);
        float[] dqAcc = Scratch.get(9, ROWS * D), rowTerm = Scratch.get(10, ROWS);
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
                    for (int t = 0; t < n; t++) {
                        if (t < lo || t >= hi) {
                            pTile[so + t] = 0f;
                            dsTile[so + t] = 0f;
                            continue;
                        }
                        float p = VecMath.exp(s[so + t] - rowLse);
                        float f = 1f;
                        if (drop > 0) f = Dropout.keep(a.dropoutSeed(), ((long) pair * Tq + i) * Tk + jb + t, drop) ? dropScale : 0f;
                        pTile[so + t] = p * f;
                        dsTile[so + t] = p * (f * dp[so + t] - di) * scale;
                    }
                }
                // dq_i += Σ_j ds_ij k_j; dk_j += Σ_i ds_ij q_i; dv_j += Σ_i p'_ij dO_i.
                weightedRows(dsTile, KEY_BLOCK, kP, jb, n, D, dqAcc, rows);
                accumulateKeys(dsTile, KEY_BLOCK, q, qo, rows, jb, n, D, dkAcc);
                accumulateKeys(pTile, KEY_BLOCK, dOut, go, rows, jb, n, D, dvAcc);
            }
            storeQueryGrads(dqAcc, rows, D, dq, dqOff + (b * Tq + i0) * dqRow + h * D, dqRow, accumulate);
        }
        storeKeyGrads(dkAcc, dvAcc, Tk, D, dk, dkOff + b * Tk * dkRow + h * D, dkRow, dv, dvOff + b * Tk * dvRow + h * D, dvRow,
                accumulate);
        if (sinkPart != null) sinkPart[pair] = sinkGrad;
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
