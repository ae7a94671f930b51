package dev.nanolab.tornadovm.kernels;

import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.math.TornadoMath;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * Fused causal attention, a thread per (batch, head, query) in the forward and the dq pass, a thread per
 * (batch, head, key) in the dk/dv pass: straightforward, no T×T buffer, deterministic (every sum has one owner and
 * a fixed order). Layout as {@code dev.nanolab.api.backend.AttentionArgs}.
 *
 * <p>Common arguments, a[b ..]: [B, H, Tq, Tk, D, queryOffset, window, hasSinks, sinkOff, hasExtra, dropOn, seedHi,
 * seedLo, qOff, qRow, kOff, kRow, vOff, vRow, oOff, oRow, lseOff, hasDocs, docsOff] and f[b ..]: [scale, extra, dropP,
 * dropScale] (the clipped kernels add [gamma, zeta − gamma]). Document starts, when present, are int-arena values
 * (B, Tq): query i of batch entry bb sees no key before {@code ih[docsOff + bb·Tq + i]}.
 */
public final class KAttention {
    public static final int B = 0, H = 1, TQ = 2, TK = 3, D = 4, QO = 5, W = 6, HAS_SINKS = 7, SINK_OFF = 8, HAS_EXTRA = 9,
            DROP = 10, SEED_HI = 11, SEED_LO = 12, Q = 13, QR = 14, K = 15, KR = 16, V = 17, VR = 18, O = 19, OR = 20,
            LSE = 21, DOCS = 22, DOCS_OFF = 23, COMMON = 24;

    private KAttention() {}

    /**
     * Dropout.keep of the framework API, for a 64-bit seed split in two ints. TornadoVM 5.2.1's OpenCL code generator
     * emits {@code >>>} on a long as an arithmetic shift, so each logical shift is written as a shift and a mask.
     */
    static boolean keep(int seedHi, int seedLo, long i, float p) {
        long seed = ((long) seedHi << 32) | ((long) seedLo & 0xFFFFFFFFL);
        long z = seed + 0x9E3779B97F4A7C15L * (i + 1);
        z = (z ^ ((z >> 30) & 0x3FFFFFFFFL)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ ((z >> 27) & 0x1FFFFFFFFFL)) * 0x94D049BB133111EBL;
        z = z ^ ((z >> 31) & 0x1FFFFFFFFL);
        return ((float) ((z >> 40) & 0xFFFFFFL)) * 5.9604644775390625E-8f >= p;
    }

    /** The attention-dropout factor of score i (row-major over pair, query, key): 1 without dropout, else scale or 0. */
    static float dropFactor(int drop, int seedHi, int seedLo, long i, float p, float scale) {
        float fm = 1f;
        if (drop == 1) {
            if (keep(seedHi, seedLo, i, p)) fm = scale;
            else fm = 0f;
        }
        return fm;
    }

    /** The first key query i (of batch entry bb) sees: window start, raised to its document's start when there are documents. */
    static int firstKey(int qo, int w, int i, int hasDocs, IntArray ih, int docsOff, int bb, int tq) {
        int j0 = 0;
        if (w > 0) j0 = Math.max(0, qo + i - w + 1);
        if (hasDocs == 1) j0 = Math.max(j0, ih.get(docsOff + bb * tq + i));
        return j0;
    }

    /**
     * One past the last query (from i1) that sees key j: starts are nondecreasing along a sequence, so the queries whose
     * document starts at or before j are a prefix; binary search for its end within [i0, i1).
     */
    static int lastQueryEnd(int i0, int i1, int j, int hasDocs, IntArray ih, int docsOff, int bb, int tq) {
        int lo = i0;
        int hi = i1;
        if (hasDocs == 1) {
            while (lo < hi) {
                int mid = (lo + hi) / 2;
                if (ih.get(docsOff + bb * tq + mid) > j) hi = mid;
                else lo = mid + 1;
            }
        } else {
            lo = i1;
        }
        return lo;
    }

    /** out_i = Σ_j p_ij v_j (online softmax, the output row as accumulator); lse_i saved. */
    public static void forward(KernelContext c, FloatArray h, IntArray ih, IntArray a, FloatArray f, int b) {
        int nb = a.get(b + B), nh = a.get(b + H), tq = a.get(b + TQ), tk = a.get(b + TK), dd = a.get(b + D);
        int qo = a.get(b + QO), w = a.get(b + W), hasSinks = a.get(b + HAS_SINKS), sinkOff = a.get(b + SINK_OFF);
        int hasExtra = a.get(b + HAS_EXTRA), drop = a.get(b + DROP), seedHi = a.get(b + SEED_HI), seedLo = a.get(b + SEED_LO);
        int qOff = a.get(b + Q), qRow = a.get(b + QR), kOff = a.get(b + K), kRow = a.get(b + KR);
        int vOff = a.get(b + V), vRow = a.get(b + VR), oOff = a.get(b + O), oRow = a.get(b + OR), lseOff = a.get(b + LSE);
        int hasDocs = a.get(b + DOCS), docsOff = a.get(b + DOCS_OFF);
        float scale = f.get(b), extraConst = f.get(b + 1), dropP = f.get(b + 2), dropScale = f.get(b + 3);
        int total = nb * nh * tq;
        for (int t = c.globalIdx; t < total; t += c.globalGroupSizeX) {
            int pair = t / tq;
            int i = t - pair * tq;
            int bb = pair / nh;
            int hh = pair - bb * nh;
            int qi = qOff + (bb * tq + i) * qRow + hh * dd;
            int oi = oOff + (bb * tq + i) * oRow + hh * dd;
            float m = Float.NEGATIVE_INFINITY;
            float l = 0f;
            if (hasSinks == 1) {
                m = h.get(sinkOff + hh);
                l = 1f;
            } else if (hasExtra == 1) {
                m = extraConst;
                l = 1f;
            }
            for (int d = 0; d < dd; d++) h.set(oi + d, 0f);
            int j0 = firstKey(qo, w, i, hasDocs, ih, docsOff, bb, tq);
            int j1 = Math.min(tk, qo + i + 1);
            for (int j = j0; j < j1; j++) {
                int kj = kOff + (bb * tk + j) * kRow + hh * dd;
                float s = 0f;
                for (int d = 0; d < dd; d++) s += h.get(qi + d) * h.get(kj + d);
                s = s * scale;
                if (s > m) {
                    if (m != Float.NEGATIVE_INFINITY) {
                        float cf = TornadoMath.exp(m - s);
                        l = l * cf;
                        for (int d = 0; d < dd; d++) h.set(oi + d, h.get(oi + d) * cf);
                    }
                    m = s;
                }
                float p = TornadoMath.exp(s - m);
                l += p;
                float fm = dropFactor(drop, seedHi, seedLo, ((long) pair * tq + i) * tk + j, dropP, dropScale);
                float pv = p * fm;
                if (pv != 0f) {
                    int vj = vOff + (bb * tk + j) * vRow + hh * dd;
                    for (int d = 0; d < dd; d++) h.set(oi + d, h.get(oi + d) + pv * h.get(vj + d));
                }
            }
            float inv = 1f / l;
            for (int d = 0; d < dd; d++) h.set(oi + d, h.get(oi + d) * inv);
            h.set(lseOff + pair * tq + i, m + TornadoMath.log(l));
        }
    }

    /**
     * D_i = dO_i · O_i per (pair, query), into a scratch row. Extra a: [gOff, gRow, dOff] after the common block.
     */
    public static void backwardRowDot(KernelContext c, FloatArray h, IntArray ih, IntArray a, FloatArray f, int b) {
        int nb = a.get(b + B), nh = a.get(b + H), tq = a.get(b + TQ), dd = a.get(b + D);
        int oOff = a.get(b + O), oRow = a.get(b + OR);
        int gOff = a.get(b + COMMON), gRow = a.get(b + COMMON + 1), dOff = a.get(b + COMMON + 2);
        int total = nb * nh * tq;
        for (int t = c.globalIdx; t < total; t += c.globalGroupSizeX) {
            int pair = t / tq;
            int i = t - pair * tq;
            int bb = pair / nh;
            int hh = pair - bb * nh;
            int gi = gOff + (bb * tq + i) * gRow + hh * dd;
            int oi = oOff + (bb * tq + i) * oRow + hh * dd;
            float s = 0f;
            for (int d = 0; d < dd; d++) s += h.get(gi + d) * h.get(oi + d);
            h.set(dOff + t, s);
        }
    }

    /**
     * dq_i (+)= Σ_j ds_ij k_j, ds_ij = p_ij (f_ij dp_ij − D_i)·scale, dp_ij = dO_i·v_j.
     * Extra a: [gOff, gRow, dOff, dqOff, dqRow, accumulate]
     */
    public static void backwardDq(KernelContext c, FloatArray h, IntArray ih, IntArray a, FloatArray f, int b) {
        int nb = a.get(b + B), nh = a.get(b + H), tq = a.get(b + TQ), tk = a.get(b + TK), dd = a.get(b + D);
        int qo = a.get(b + QO), w = a.get(b + W);
        int drop = a.get(b + DROP), seedHi = a.get(b + SEED_HI), seedLo = a.get(b + SEED_LO);
        int qOff = a.get(b + Q), qRow = a.get(b + QR), kOff = a.get(b + K), kRow = a.get(b + KR);
        int vOff = a.get(b + V), vRow = a.get(b + VR), lseOff = a.get(b + LSE);
        int hasDocs = a.get(b + DOCS), docsOff = a.get(b + DOCS_OFF);
        int gOff = a.get(b + COMMON), gRow = a.get(b + COMMON + 1), dOff = a.get(b + COMMON + 2);
        int dqOff = a.get(b + COMMON + 3), dqRow = a.get(b + COMMON + 4), acc = a.get(b + COMMON + 5);
        float scale = f.get(b), dropP = f.get(b + 2), dropScale = f.get(b + 3);
        int total = nb * nh * tq;
        for (int t = c.globalIdx; t < total; t += c.globalGroupSizeX) {
            int pair = t / tq;
            int i = t - pair * tq;
            int bb = pair / nh;
            int hh = pair - bb * nh;
            int qi = qOff + (bb * tq + i) * qRow + hh * dd;
            int gi = gOff + (bb * tq + i) * gRow + hh * dd;
            int dqi = dqOff + (bb * tq + i) * dqRow + hh * dd;
            float rowLse = h.get(lseOff + t), di = h.get(dOff + t);
            if (acc == 0) {
                for (int d = 0; d < dd; d++) h.set(dqi + d, 0f);
            }
            int j0 = firstKey(qo, w, i, hasDocs, ih, docsOff, bb, tq);
            int j1 = Math.min(tk, qo + i + 1);
            for (int j = j0; j < j1; j++) {
                int kj = kOff + (bb * tk + j) * kRow + hh * dd;
                int vj = vOff + (bb * tk + j) * vRow + hh * dd;
                float s = 0f, dp = 0f;
                for (int d = 0; d < dd; d++) {
                    s += h.get(qi + d) * h.get(kj + d);
                    dp += h.get(gi + d) * h.get(vj + d);
                }
                float p = TornadoMath.exp(s * scale - rowLse);
                float fm = dropFactor(drop, seedHi, seedLo, ((long) pair * tq + i) * tk + j, dropP, dropScale);
                float ds = p * (fm * dp - di) * scale;
                if (ds != 0f) {
                    for (int d = 0; d < dd; d++) h.set(dqi + d, h.get(dqi + d) + ds * h.get(kj + d));
                }
            }
        }
    }

    /**
     * dv_j (+)= Σ_i p_ij f_ij dO_i and dk_j (+)= Σ_i ds_ij q_i over the queries that see key j, in query order.
     * Extra a: [gOff, gRow, dOff, dkOff, dkRow, dvOff, dvRow, accumulate]
     */
    public static void backwardDkv(KernelContext c, FloatArray h, IntArray ih, IntArray a, FloatArray f, int b) {
        int nb = a.get(b + B), nh = a.get(b + H), tq = a.get(b + TQ), tk = a.get(b + TK), dd = a.get(b + D);
        int qo = a.get(b + QO), w = a.get(b + W);
        int drop = a.get(b + DROP), seedHi = a.get(b + SEED_HI), seedLo = a.get(b + SEED_LO);
        int qOff = a.get(b + Q), qRow = a.get(b + QR), kOff = a.get(b + K), kRow = a.get(b + KR);
        int vOff = a.get(b + V), vRow = a.get(b + VR), lseOff = a.get(b + LSE);
        int hasDocs = a.get(b + DOCS), docsOff = a.get(b + DOCS_OFF);
        int gOff = a.get(b + COMMON), gRow = a.get(b + COMMON + 1), dOff = a.get(b + COMMON + 2);
        int dkOff = a.get(b + COMMON + 3), dkRow = a.get(b + COMMON + 4), dvOff = a.get(b + COMMON + 5);
        int dvRow = a.get(b + COMMON + 6), acc = a.get(b + COMMON + 7);
        float scale = f.get(b), dropP = f.get(b + 2), dropScale = f.get(b + 3);
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
            i1 = lastQueryEnd(i0, i1, j, hasDocs, ih, docsOff, bb, tq);
            for (int i = i0; i < i1; i++) {
                int qi = qOff + (bb * tq + i) * qRow + hh * dd;
                int gi = gOff + (bb * tq + i) * gRow + hh * dd;
                int row = pair * tq + i;
                float s = 0f, dp = 0f;
                for (int d = 0; d < dd; d++) {
                    s += h.get(qi + d) * h.get(kj + d);
                    dp += h.get(gi + d) * h.get(vj + d);
                }
                float p = TornadoMath.exp(s * scale - h.get(lseOff + row));
                float fm = dropFactor(drop, seedHi, seedLo, ((long) pair * tq + i) * tk + j, dropP, dropScale);
                float pf = p * fm;
                if (pf != 0f) {
                    for (int d = 0; d < dd; d++) h.set(dvj + d, h.get(dvj + d) + pf * h.get(gi + d));
                }
                float ds = p * (fm * dp - h.get(dOff + row)) * scale;
                if (ds != 0f) {
                    for (int d = 0; d < dd; d++) h.set(dkj + d, h.get(dkj + d) + ds * h.get(qi + d));
                }
            }
        }
    }

    /**
     * dSink_h += Σ_b Σ_i −exp(sink_h − lse_i)·D_i, summed per (batch, head) pair, pairs in order.
     * Extra a: [gOff, gRow, dOff, dSinkOff]
     */
    public static void backwardSinks(KernelContext c, FloatArray h, IntArray ih, IntArray a, FloatArray f, int b) {
        int nb = a.get(b + B), nh = a.get(b + H), tq = a.get(b + TQ);
        int hasSinks = a.get(b + HAS_SINKS), sinkOff = a.get(b + SINK_OFF), hasExtra = a.get(b + HAS_EXTRA), lseOff = a.get(b + LSE);
        int dOff = a.get(b + COMMON + 2), dSinkOff = a.get(b + COMMON + 3);
        float extraConst = f.get(b + 1);
        int nbUsed = nb;
        if (hasSinks == 0 && hasExtra == 0) nbUsed = 0;
        for (int hh = c.globalIdx; hh < nh; hh += c.globalGroupSizeX) {
            float e = extraConst;
            if (hasSinks == 1) e = h.get(sinkOff + hh);
            float total = h.get(dSinkOff + hh);
            for (int bb = 0; bb < nbUsed; bb++) {
                int pair = bb * nh + hh;
                float part = 0f;
                for (int i = 0; i < tq; i++) {
                    int row = pair * tq + i;
                    part -= TornadoMath.exp(e - h.get(lseOff + row)) * h.get(dOff + row);
                }
                total += part;
            }
            h.set(dSinkOff + hh, total);
        }
    }
}
