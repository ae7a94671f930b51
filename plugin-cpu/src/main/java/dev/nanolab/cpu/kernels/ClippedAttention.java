package dev.nanolab.cpu.kernels;

import static dev.nanolab.cpu.kernels.CpuAttention.ROWS;
import static dev.nanolab.cpu.memory.CpuStorage.floats;
import static dev.nanolab.cpu.kernels.CpuAttention.accumulateKeys;
import static dev.nanolab.cpu.kernels.CpuAttention.packForBackward;
import static dev.nanolab.cpu.kernels.CpuAttention.packTransposed;
import static dev.nanolab.cpu.kernels.CpuAttention.scoreTile;
import static dev.nanolab.cpu.kernels.CpuAttention.storeKeyGrads;
import static dev.nanolab.cpu.kernels.CpuAttention.storeQueryGrads;
import static dev.nanolab.cpu.kernels.CpuAttention.tileRows;
import static dev.nanolab.cpu.kernels.CpuAttention.weightedRows;

import dev.nanolab.api.backend.Attention;
import dev.nanolab.api.backend.AttentionArgs;
import dev.nanolab.api.backend.AttentionGradients;
import dev.nanolab.api.backend.AttentionOperands;
import dev.nanolab.api.backend.RowView;
import dev.nanolab.api.backend.ext.ClippedSoftmaxKernels;
import dev.nanolab.cpu.parallel.WorkerPool;
import dev.nanolab.api.backend.Dropout;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;

/**
 * The clipped-softmax attention ({@link ClippedSoftmaxKernels}) on {@link CpuAttention}'s tiles and packing, one
 * (batch, head) pair per task.
 * p = clamp(c·y + γ, 0, 1) with y the softmax and c = ζ − γ cannot use the online softmax: a weight is known only
 * once the row's whole denominator is. So each tile of ROWS queries keeps a strip of scores for all the keys it sees
 * (ROWS·Tk floats, a few KB: still never T × T) and makes two passes over it, the first for the row's lse (forward)
 * or the clip's row term R (backward), the second for the weights; the scores are computed once.
 */
public final class ClippedAttention implements Attention {
    private static final int W = Vec.W;
    private final WorkerPool pool;
    private final float gamma, zeta;

    ClippedAttention(WorkerPool pool, float gamma, float zeta) {
        if (!(gamma <= 0) || !(zeta >= 1) || Float.isInfinite(gamma) || Float.isInfinite(zeta))
            throw new IllegalArgumentException("clipped softmax needs finite gamma <= 0 and zeta >= 1, got gamma="
                    + gamma + " zeta=" + zeta);
        this.pool = pool;
        this.gamma = gamma;
        this.zeta = zeta;
    }

    /** The kernel set the CPU backend offers as its {@link ClippedSoftmaxKernels} extension. */
    public static ClippedSoftmaxKernels kernels(WorkerPool pool) {
        return (gamma, zeta) -> new ClippedAttention(pool, gamma, zeta);
    }

    @Override
    public void forward(AttentionArgs a, AttentionOperands x) {
        if (x.sinkLogits() != null || a.extraLogit() != Float.NEGATIVE_INFINITY)
            throw new UnsupportedOperationException("clipped softmax cannot be combined with an extra or learned logit");
        float[] q = floats(x.q().storage()), k = floats(x.k().storage()), v = floats(x.v().storage());
        float[] out = floats(x.out().storage()), lse = floats(x.lse());
        long cost = (long) a.queries() * a.keys() * a.headDim() * 2;
        pool.parallelFor(a.batch() * a.heads(), cost, CpuPointwise.PARALLEL_MIN, (from, to) -> {
            for (int pair = from; pair < to; pair++)
                forwardPair(a, pair, q, (int) x.q().offset(), x.q().rowStride(), k, (int) x.k().offset(), x.k().rowStride(),
                        v, (int) x.v().offset(), x.v().rowStride(), out, (int) x.out().offset(), x.out().rowStride(), lse);
        });
    }

    @Override
    public void backward(AttentionArgs a, AttentionOperands x, RowView dO, AttentionGradients g) {
        if (x.sinkLogits() != null || a.extraLogit() != Float.NEGATIVE_INFINITY)
            throw new UnsupportedOperationException("clipped softmax cannot be combined with an extra or learned logit");
        float[] q = floats(x.q().storage()), k = floats(x.k().storage()), v = floats(x.v().storage());
        float[] dOut = floats(dO.storage()), lse = floats(x.lse());
        float[] dq = floats(g.dq().storage()), dk = floats(g.dk().storage()), dv = floats(g.dv().storage());
        long cost = (long) a.queries() * a.keys() * a.headDim() * 5;
        pool.parallelFor(a.batch() * a.heads(), cost, CpuPointwise.PARALLEL_MIN, (from, to) -> {
            for (int pair = from; pair < to; pair++)
                backwardPair(a, pair, q, (int) x.q().offset(), x.q().rowStride(), k, (int) x.k().offset(), x.k().rowStride(),
                        v, (int) x.v().offset(), x.v().rowStride(), dOut, (int) dO.offset(), dO.rowStride(), lse,
                        dq, (int) g.dq().offset(), g.dq().rowStride(), dk, (int) g.dk().offset(), g.dk().rowStride(),
                        dv, (int) g.dv().offset(), g.dv().rowStride(), g.accumulate());
        });
    }

    /**
     * Clipped forward for one (batch, head) pair. Per tile of ROWS queries: scores of every key the tile sees into the
     * strip; pass 1 per row turns them into e = exp(s − m) and their sum l (so lse = m + log l); pass 2 rewrites them
     * as the clipped weights p = clamp(c·e/l + γ, 0, 1), dropped out; then out = Σ_j p_j v_j, with no
     * renormalisation, so a row clipped to all zeros outputs zeros.
     */
    private void forwardPair(AttentionArgs a, int pair, float[] q, int qOff, int qRow, float[] k,
                                           int kOff, int kRow, float[] v, int vOff, int vRow, float[] out, int outOff,
                                           int outRow, float[] lse) {
        int b = pair / a.heads(), h = pair % a.heads(), D = a.headDim(), Tq = a.queries(), Tk = a.keys();
        MaskRows mask = MaskRows.of(a.mask(), b);
        int kEnd = Math.min(Tk, mask.endKey(Tq - 1));
        float[] kT = Scratch.get(0, D * Tk);
        packTransposed(k, kOff + b * Tk * kRow + h * D, kRow, kT, D, Tk, kEnd);
        int vBase = vOff + b * Tk * vRow + h * D;
        float[] s = Scratch.get(2, ROWS * Tk), acc = Scratch.get(4, ROWS * D);
        int[] qo = new int[ROWS];
        float c = zeta - gamma;
        float drop = a.dropout(), dropScale = drop > 0 ? 1f / (1f - drop) : 1f;
        for (int i0 = 0; i0 < Tq; i0 += ROWS) {
            int rows = Math.min(ROWS, Tq - i0);
            tileRows(qo, qOff + b * Tq * qRow + h * D, qRow, i0, rows);
            // Rows of a tile see nested key ranges: [firstKey(i0), endKey(last)) covers them all.
            int jStart = mask.firstKey(i0), n = mask.endKey(i0 + rows - 1) - jStart;
            scoreTile(q, qo, kT, Tk, jStart, n, D, a.scale(), s, Tk);
            for (int r = 0; r < rows; r++) {
                int i = i0 + r, so = r * Tk, lo = mask.firstKey(i) - jStart, hi = mask.endKey(i) - jStart;
                float m = Vec.max(s, so + lo, hi - lo);
                float l = Vec.expShiftSum(s, so + lo, hi - lo, m);
                lse[pair * Tq + i] = m + (float) StrictMath.log(l);
                Arrays.fill(s, so, so + lo, 0f);
                Arrays.fill(s, so + hi, so + n, 0f);
                clipRow(s, so + lo, hi - lo, c / l, gamma);
                if (drop > 0)
                    for (int t = lo; t < hi; t++) {
                        long idx = ((long) pair * Tq + i) * Tk + jStart + t;
                        s[so + t] = Dropout.keep(a.dropoutSeed(), idx, drop) ? s[so + t] * dropScale : 0f;
                    }
            }
            Arrays.fill(acc, 0, rows * D, 0f);
            weightedRows(s, Tk, v, vBase, vRow, jStart, n, D, acc, rows);
            for (int r = 0; r < rows; r++)
                System.arraycopy(acc, r * D, out, outOff + (b * Tq + i0 + r) * outRow + h * D, D);
        }
    }

    /** x[o + t] = clamp(x[o + t] · mul + add, 0, 1) for t &lt; n. */
    private static void clipRow(float[] x, int o, int n, float mul, float add) {
        FloatVector vm = FloatVector.broadcast(Vec.S, mul), va = FloatVector.broadcast(Vec.S, add);
        FloatVector zero = FloatVector.zero(Vec.S), one = FloatVector.broadcast(Vec.S, 1f);
        int t = 0;
        for (int bound = Vec.S.loopBound(n); t < bound; t += W)
            FloatVector.fromArray(Vec.S, x, o + t).fma(vm, va).max(zero).min(one).intoArray(x, o + t);
        for (; t < n; t++) x[o + t] = Math.min(1f, Math.max(0f, Math.fma(x[o + t], mul, add)));
    }

    /**
     * Clipped backward for one (batch, head) pair. With y the softmax, z = c·y + γ, p = clamp(z, 0, 1), p̃ = dropout(p)
     * and out_i = Σ_j p̃_ij v_j:
     * <pre>
     *   dP_ij = dO_i · v_j                          (the scores tile of dO against v)
     *   g_ij  = c · 1[0 &lt; z_ij &lt; 1] · f_ij · dP_ij     (f: dropout's keep/(1 − p) factor; the clamp passes no gradient)
     *   R_i   = Σ_j y_ij g_ij                        (pass 1: the softmax backward's row term)
     *   dS_ij = y_ij (g_ij − R_i)                     (pass 2)
     *   dq_i += scale · Σ_j dS_ij k_j,  dk_j += scale · Σ_i dS_ij q_i,  dv_j += Σ_i p̃_ij dO_i
     * </pre>
     * R cannot be had from dO·O as for softmax (the clip breaks Σ_j y_ij v_j = O_i), hence the two passes over the
     * strips of scores and dP, which are computed once.
     */
    private void backwardPair(AttentionArgs a, int pair, float[] q, int qOff, int qRow, float[] k,
                                            int kOff, int kRow, float[] v, int vOff, int vRow, float[] dOut,
                                            int dOutOff, int dOutRow, float[] lse, float[] dq, int dqOff, int dqRow,
                                            float[] dk, int dkOff, int dkRow, float[] dv, int dvOff, int dvRow,
                                            boolean accumulate) {
        int b = pair / a.heads(), h = pair % a.heads(), D = a.headDim(), Tq = a.queries(), Tk = a.keys();
        MaskRows mask = MaskRows.of(a.mask(), b);
        int kEnd = Math.min(Tk, mask.endKey(Tq - 1));
        float[] kT = Scratch.get(0, D * Tk), vT = Scratch.get(1, D * Tk);
        float[] dkAcc = Scratch.get(3, Tk * D), dvAcc = Scratch.get(4, Tk * D);
        int kBase = kOff + b * Tk * kRow + h * D;
        packForBackward(k, kBase, kRow, v, vOff + b * Tk * vRow + h * D, vRow, D, Tk, kEnd, kT, vT, dkAcc, dvAcc);
        // Strips, ROWS × Tk: s holds scores then y; ds holds dP, then g, then dS·scale; pw the dropped-out weights p̃.
        float[] s = Scratch.get(5, ROWS * Tk), ds = Scratch.get(6, ROWS * Tk), pw = Scratch.get(7, ROWS * Tk);
        float[] dqAcc = Scratch.get(9, ROWS * D);
        int[] qo = new int[ROWS], go = new int[ROWS];
        float c = zeta - gamma;
        float drop = a.dropout(), dropScale = drop > 0 ? 1f / (1f - drop) : 1f, scale = a.scale();
        for (int i0 = 0; i0 < Tq; i0 += ROWS) {
            int rows = Math.min(ROWS, Tq - i0);
            tileRows(qo, qOff + b * Tq * qRow + h * D, qRow, i0, rows);
            tileRows(go, dOutOff + b * Tq * dOutRow + h * D, dOutRow, i0, rows);
            int jStart = mask.firstKey(i0), n = mask.endKey(i0 + rows - 1) - jStart;
            scoreTile(q, qo, kT, Tk, jStart, n, D, scale, s, Tk);
            scoreTile(dOut, go, vT, Tk, jStart, n, D, 1f, ds, Tk);
            for (int r = 0; r < ROWS; r++) {
                int so = r * Tk;
                if (r >= rows) {
                    // The tile helpers read all ROWS weight rows (and discard the missing ones): keep them finite.
                    Arrays.fill(pw, so, so + n, 0f);
                    Arrays.fill(ds, so, so + n, 0f);
                    continue;
                }
                int i = i0 + r, lo = mask.firstKey(i) - jStart, hi = mask.endKey(i) - jStart;
                float rowLse = lse[pair * Tq + i], rowTerm = 0f;
                for (int t = lo; t < hi; t++) {
                    float y = VecMath.exp(s[so + t] - rowLse), z = Math.fma(c, y, gamma);
                    float f = 1f;
                    if (drop > 0) f = Dropout.keep(a.dropoutSeed(), ((long) pair * Tq + i) * Tk + jStart + t, drop) ? dropScale : 0f;
                    pw[so + t] = Math.min(1f, Math.max(0f, z)) * f;
                    float g = z > 0f && z < 1f ? c * f * ds[so + t] : 0f;
                    s[so + t] = y;
                    ds[so + t] = g;
                    rowTerm += y * g;
                }
                for (int t = lo; t < hi; t++) ds[so + t] = s[so + t] * (ds[so + t] - rowTerm) * scale;
                Arrays.fill(pw, so, so + lo, 0f);
                Arrays.fill(ds, so, so + lo, 0f);
                Arrays.fill(pw, so + hi, so + n, 0f);
                Arrays.fill(ds, so + hi, so + n, 0f);
            }
            Arrays.fill(dqAcc, 0, ROWS * D, 0f);
            weightedRows(ds, Tk, k, kBase, kRow, jStart, n, D, dqAcc, rows);
            accumulateKeys(ds, Tk, q, qo, rows, jStart, n, D, dkAcc);
            accumulateKeys(pw, Tk, dOut, go, rows, jStart, n, D, dvAcc);
            storeQueryGrads(dqAcc, rows, D, dq, dqOff + (b * Tq + i0) * dqRow + h * D, dqRow, accumulate);
        }
        storeKeyGrads(dkAcc, dvAcc, Tk, D, dk, dkOff + b * Tk * dkRow + h * D, dkRow, dv, dvOff + b * Tk * dvRow + h * D, dvRow,
                accumulate);
    }
}
