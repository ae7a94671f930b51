package dev.nanolab.tornadovm.kernels;

import static dev.nanolab.tornadovm.kernels.KAttention.B;
import static dev.nanolab.tornadovm.kernels.KAttention.COMMON;
import static dev.nanolab.tornadovm.kernels.KAttention.D;
import static dev.nanolab.tornadovm.kernels.KAttention.DOCS;
import static dev.nanolab.tornadovm.kernels.KAttention.DOCS_OFF;
import static dev.nanolab.tornadovm.kernels.KAttention.DROP;
import static dev.nanolab.tornadovm.kernels.KAttention.H;
import static dev.nanolab.tornadovm.kernels.KAttention.K;
import static dev.nanolab.tornadovm.kernels.KAttention.KR;
import static dev.nanolab.tornadovm.kernels.KAttention.LSE;
import static dev.nanolab.tornadovm.kernels.KAttention.O;
import static dev.nanolab.tornadovm.kernels.KAttention.OR;
import static dev.nanolab.tornadovm.kernels.KAttention.Q;
import static dev.nanolab.tornadovm.kernels.KAttention.QO;
import static dev.nanolab.tornadovm.kernels.KAttention.QR;
import static dev.nanolab.tornadovm.kernels.KAttention.SEED_HI;
import static dev.nanolab.tornadovm.kernels.KAttention.SEED_LO;
import static dev.nanolab.tornadovm.kernels.KAttention.TK;
import static dev.nanolab.tornadovm.kernels.KAttention.TQ;
import static dev.nanolab.tornadovm.kernels.KAttention.V;
import static dev.nanolab.tornadovm.kernels.KAttention.VR;
import static dev.nanolab.tornadovm.kernels.KAttention.W;

import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.math.TornadoMath;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * Clipped-softmax attention ({@code dev.nanolab.api.backend.ext.ClippedSoftmaxKernels}): weights
 * p = clamp(c·y + γ, 0, 1) with y the softmax and c = ζ − γ, dropout on the clipped weights, no renormalisation; the
 * saved lse is the plain softmax's. Same threads, argument block and masks as {@link KAttention}; f[b + 4] = γ,
 * f[b + 5] = c. A weight needs the row's whole denominator, so every kernel makes two passes over a query's keys
 * (scores are recomputed, not stored: no T×T buffer).
 *
 * <p>Backward, with dP_ij = dO_i·v_j, f_ij dropout's factor and z = c·y + γ: g_ij = c·1[0 &lt; z &lt; 1]·f_ij·dP_ij,
 * R_i = Σ_j y_ij g_ij ({@link #rowTerm}, in place of softmax's D_i = dO_i·O_i), dS_ij = y_ij (g_ij − R_i)·scale; then
 * dq_i = Σ_j dS_ij k_j, dk_j = Σ_i dS_ij q_i, dv_j = Σ_i p̃_ij dO_i.
 */
public final class KClipped {
    private KClipped() {}

    /** Pass 1: m, l of the row (lse = m + log l); pass 2: out = Σ_j dropout(clamp(c·e^(s−m)/l + γ, 0, 1))·v_j. */
    public static void forward(KernelContext c, FloatArray h, IntArray ih, IntArray a, FloatArray f, int b) {
        int nb = a.get(b + B), nh = a.get(b + H), tq = a.get(b + TQ), tk = a.get(b + TK), dd = a.get(b + D);
        int qo = a.get(b + QO), w = a.get(b + W);
        int drop = a.get(b + DROP), seedHi = a.get(b + SEED_HI), seedLo = a.get(b + SEED_LO);
        int qOff = a.get(b + Q), qRow = a.get(b + QR), kOff = a.get(b + K), kRow = a.get(b + KR);
        int vOff = a.get(b + V), vRow = a.get(b + VR), oOff = a.get(b + O), oRow = a.get(b + OR), lseOff = a.get(b + LSE);
        int hasDocs = a.get(b + DOCS), docsOff = a.get(b + DOCS_OFF);
        float scale = f.get(b), dropP = f.get(b + 2), dropScale = f.get(b + 3), gamma = f.get(b + 4), cc = f.get(b + 5);
        int total = nb * nh * tq;
        for (int t = c.globalIdx; t < total; t += c.globalGroupSizeX) {
            int pair = t / tq;
            int i = t - pair * tq;
            int bb = pair / nh;
            int hh = pair - bb * nh;
            int qi = qOff + (bb * tq + i) * qRow + hh * dd;
            int oi = oOff + (bb * tq + i) * oRow + hh * dd;
            int j0 = KAttention.firstKey(qo, w, i, hasDocs, ih, docsOff, bb, tq);
            int j1 = Math.min(tk, qo + i + 1);
            float m = Float.NEGATIVE_INFINITY;
            for (int j = j0; j < j1; j++) {
                int kj = kOff + (bb * tk + j) * kRow + hh * dd;
                float s = 0f;
                for (int d = 0; d < dd; d++) s += h.get(qi + d) * h.get(kj + d);
                m = TornadoMath.max(m, s * scale);
            }
            float l = 0f;
            for (int j = j0; j < j1; j++) {
                int kj = kOff + (bb * tk + j) * kRow + hh * dd;
                float s = 0f;
                for (int d = 0; d < dd; d++) s += h.get(qi + d) * h.get(kj + d);
                l += TornadoMath.exp(s * scale - m);
            }
            h.set(lseOff + pair * tq + i, m + TornadoMath.log(l));
            for (int d = 0; d < dd; d++) h.set(oi + d, 0f);
            float mul = cc / l;
            for (int j = j0; j < j1; j++) {
                int kj = kOff + (bb * tk + j) * kRow + hh * dd;
                float s = 0f;
                for (int d = 0; d < dd; d++) s += h.get(qi + d) * h.get(kj + d);
                float z = TornadoMath.exp(s * scale - m) * mul + gamma;
                float p = TornadoMath.min(1f, TornadoMath.max(0f, z));
                float fm = KAttention.dropFactor(drop, seedHi, seedLo, ((long) pair * tq + i) * tk + j, dropP, dropScale);
                float pv = p * fm;
                int vj = vOff + (bb * tk + j) * vRow + hh * dd;
                for (int d = 0; d < dd; d++) h.set(oi + d, h.get(oi + d) + pv * h.get(vj + d));
            }
        }
    }

    /** R_i = Σ_j y_ij g_ij per (pair, query), into the scratch row. Extra a: [gOff, gRow, dOff]. */
    public static void rowTerm(KernelContext c, FloatArray h, IntArray ih, IntArray a, FloatArray f, int b) {
        int nb = a.get(b + B), nh = a.get(b + H), tq = a.get(b + TQ), tk = a.get(b + TK), dd = a.get(b + D);
        int qo = a.get(b + QO), w = a.get(b + W);
        int drop = a.get(b + DROP), seedHi = a.get(b + SEED_HI), seedLo = a.get(b + SEED_LO);
        int qOff = a.get(b + Q), qRow = a.get(b + QR), kOff = a.get(b + K), kRow = a.get(b + KR);
        int vOff = a.get(b + V), vRow = a.get(b + VR), lseOff = a.get(b + LSE);
        int hasDocs = a.get(b + DOCS), docsOff = a.get(b + DOCS_OFF);
        int gOff = a.get(b + COMMON), gRow = a.get(b + COMMON + 1), dOff = a.get(b + COMMON + 2);
        float scale = f.get(b), dropP = f.get(b + 2), dropScale = f.get(b + 3), gamma = f.get(b + 4), cc = f.get(b + 5);
        int total = nb * nh * tq;
        for (int t = c.globalIdx; t < total; t += c.globalGroupSizeX) {
            int pair = t / tq;
            int i = t - pair * tq;
            int bb = pair / nh;
            int hh = pair - bb * nh;
            int qi = qOff + (bb * tq + i) * qRow + hh * dd;
            int gi = gOff + (bb * tq + i) * gRow + hh * dd;
            float rowLse = h.get(lseOff + t);
            int j0 = KAttention.firstKey(qo, w, i, hasDocs, ih, docsOff, bb, tq);
            int j1 = Math.min(tk, qo + i + 1);
            float r = 0f;
            for (int j = j0; j < j1; j++) {
                int kj = kOff + (bb * tk + j) * kRow + hh * dd;
                int vj = vOff + (bb * tk + j) * vRow + hh * dd;
                float s = 0f, dp = 0f;
                for (int d = 0; d < dd; d++) {
                    s += h.get(qi + d) * h.get(kj + d);
                    dp += h.get(gi + d) * h.get(vj + d);
                }
                float y = TornadoMath.exp(s * scale - rowLse);
                float z = cc * y + gamma;
                float fm = KAttention.dropFactor(drop, seedHi, seedLo, ((long) pair * tq + i) * tk + j, dropP, dropScale);
                float pass = 0f;
                if (z > 0f && z < 1f) pass = 1f;
                r += y * (cc * fm * dp * pass);
            }
            h.set(dOff + t, r);
        }
    }

    /** dq_i (+)= Σ_j dS_ij k_j. Extra a: [gOff, gRow, dOff, dqOff, dqRow, accumulate]. */
    public static void dq(KernelContext c, FloatArray h, IntArray ih, IntArray a, FloatArray f, int b) {
        int nb = a.get(b + B), nh = a.get(b + H), tq = a.get(b + TQ), tk = a.get(b + TK), dd = a.get(b + D);
        int qo = a.get(b + QO), w = a.get(b + W);
        int drop = a.get(b + DROP), seedHi = a.get(b + SEED_HI), seedLo = a.get(b + SEED_LO);
        int qOff = a.get(b + Q), qRow = a.get(b + QR), kOff = a.get(b + K), kRow = a.get(b + KR);
        int vOff = a.get(b + V), vRow = a.get(b + VR), lseOff = a.get(b + LSE);
        int hasDocs = a.get(b + DOCS), docsOff = a.get(b + DOCS_OFF);
        int gOff = a.get(b + COMMON), gRow = a.get(b + COMMON + 1), dOff = a.get(b + COMMON + 2);
        int dqOff = a.get(b + COMMON + 3), dqRow = a.get(b + COMMON + 4), acc = a.get(b + COMMON + 5);
        float scale = f.get(b), dropP = f.get(b + 2), dropScale = f.get(b + 3), gamma = f.get(b + 4), cc = f.get(b + 5);
        int total = nb * nh * tq;
        for (int t = c.globalIdx; t < total; t += c.globalGroupSizeX) {
            int pair = t / tq;
            int i = t - pair * tq;
            int bb = pair / nh;
            int hh = pair - bb * nh;
            int qi = qOff + (bb * tq + i) * qRow + hh * dd;
            int gi = gOff + (bb * tq + i) * gRow + hh * dd;
            int dqi = dqOff + (bb * tq + i) * dqRow + hh * dd;
            float rowLse = h.get(lseOff + t), r = h.get(dOff + t);
            if (acc == 0) {
                for (int d = 0; d < dd; d++) h.set(dqi + d, 0f);
            }
            int j0 = KAttention.firstKey(qo, w, i, hasDocs, ih, docsOff, bb, tq);
            int j1 = Math.min(tk, qo + i + 1);
            for (int j = j0; j < j1; j++) {
                int kj = kOff + (bb * tk + j) * kRow + hh * dd;
                int vj = vOff + (bb * tk + j) * vRow + hh * dd;
                float s = 0f, dp = 0f;
                for (int d = 0; d < dd; d++) {
                    s += h.get(qi + d) * h.get(kj + d);
                    dp += h.get(gi + d) * h.get(vj + d);
                }
                float y = TornadoMath.exp(s * scale - rowLse);
                float z = cc * y + gamma;
                float fm = KAttention.dropFactor(drop, seedHi, seedLo, ((long) pair * tq + i) * tk + j, dropP, dropScale);
                float pass = 0f;
                if (z > 0f && z < 1f) pass = 1f;
                float ds = y * (cc * fm * dp * pass - r) * scale;
                for (int d = 0; d < dd; d++) h.set(dqi + d, h.get(dqi + d) + ds * h.get(kj + d));
            }
        }
    }

    /**
     * dk_j (+)= Σ_i dS_ij q_i and dv_j (+)= Σ_i p̃_ij dO_i over the queries that see key j, in query order.
     * Extra a: [gOff, gRow, dOff, dkOff, dkRow, dvOff, dvRow, accumulate].
     */
    public static void dkv(KernelContext c, FloatArray h, IntArray ih, IntArray a, FloatArray f, int b) {
        int nb = a.get(b + B), nh = a.get(b + H), tq = a.get(b + TQ), tk = a.get(b + TK), dd = a.get(b + D);
        int qo = a.get(b + QO), w = a.get(b + W);
        int drop = a.get(b + DROP), seedHi = a.get(b + SEED_HI), seedLo = a.get(b + SEED_LO);
        int qOff = a.get(b + Q), qRow = a.get(b + QR), kOff = a.get(b + K), kRow = a.get(b + KR);
        int vOff = a.get(b + V), vRow = a.get(b + VR), lseOff = a.get(b + LSE);
        int hasDocs = a.get(b + DOCS), docsOff = a.get(b + DOCS_OFF);
        int gOff = a.get(b + COMMON), gRow = a.get(b + COMMON + 1), dOff = a.get(b + COMMON + 2);
        int dkOff = a.get(b + COMMON + 3), dkRow = a.get(b + COMMON + 4), dvOff = a.get(b + COMMON + 5);
        int dvRow = a.get(b + COMMON + 6), acc = a.get(b + COMMON + 7);
        float scale = f.get(b), dropP = f.get(b + 2), dropScale = f.get(b + 3), gamma = f.get(b + 4), cc = f.get(b + 5);
        int total = nb * nh * tk;
        for (int t = c.globalIdx; t < total; t += c.globalGroupSizeX) {
            int pair = t / tk;
            int j = t - pair * tk;
            int bb = pair / nh;
            int hh = pair - bb * nh;
            int kj = kOff + (bb * tk + j) * kRow + hh * dd;
            int vj = vOff + (bb * tk + j) * vRow + hh * dd;
            int dkj = dkOff + (bb * tk + j) * dkRow + hh * dd;
            int dvj = dvOff + (bb * tk + j) * dvRow + hh * dd;
            if (acc == 0) {
                for (int d = 0; d < dd; d++) {
                    h.set(dkj + d, 0f);
                    h.set(dvj + d, 0f);
                }
            }
            int i0 = Math.max(0, j - qo);
            int i1 = tq;
            if (w > 0) i1 = Math.min(tq, j - qo + w);
            i1 = KAttention.lastQueryEnd(i0, i1, j, hasDocs, ih, docsOff, bb, tq);
            for (int i = i0; i < i1; i++) {
                int qi = qOff + (bb * tq + i) * qRow + hh * dd;
                int gi = gOff + (bb * tq + i) * gRow + hh * dd;
                int row = pair * tq + i;
                float s = 0f, dp = 0f;
                for (int d = 0; d < dd; d++) {
                    s += h.get(qi + d) * h.get(kj + d);
                    dp += h.get(gi + d) * h.get(vj + d);
                }
                float y = TornadoMath.exp(s * scale - h.get(lseOff + row));
                float z = cc * y + gamma;
                float fm = KAttention.dropFactor(drop, seedHi, seedLo, ((long) pair * tq + i) * tk + j, dropP, dropScale);
                float pt = TornadoMath.min(1f, TornadoMath.max(0f, z)) * fm;
                float pass = 0f;
                if (z > 0f && z < 1f) pass = 1f;
                float ds = y * (cc * fm * dp * pass - h.get(dOff + row)) * scale;
                for (int d = 0; d < dd; d++) {
                    h.set(dvj + d, h.get(dvj + d) + pt * h.get(gi + d));
                    h.set(dkj + d, h.get(dkj + d) + ds * h.get(qi + d));
                }
            }
        }
    }
}
