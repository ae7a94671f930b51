package dev.nanolab.tornadovm.kernels;

import static dev.nanolab.tornadovm.kernels.KMemory.WG;

import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.math.TornadoMath;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/** Fused log-softmax + cross-entropy (plain and over softcapped logits), embedding lookup and its scatter-add, dropout. */
public final class KLosses {
    private KLosses() {}

    /**
     * One work-group: loss[0] = mean of the counted rows' losses (0 if none), summed in double.
     * a: [targetsOff, rowLossOff, lossOff, rows, ignoreIndex]
     */
    public static void crossEntropyMean(KernelContext c, FloatArray h, IntArray ih, IntArray a, FloatArray f, int b) {
        int to = a.get(b), rlo = a.get(b + 1), lossOff = a.get(b + 2), rows = a.get(b + 3), ignore = a.get(b + 4);
        double[] sums = c.allocateDoubleLocalArray(WG);
        int[] counts = c.allocateIntLocalArray(WG);
        int lid = c.localIdx;
        if (c.groupIdx == 0) {
            double s = 0.0;
            int n = 0;
            for (int r = lid; r < rows; r += WG) {
                if (ih.get(to + r) != ignore) {
                    s += h.get(rlo + r);
                    n++;
                }
            }
            sums[lid] = s;
            counts[lid] = n;
            for (int st = WG / 2; st > 0; st /= 2) {
                c.localBarrier();
                if (lid < st) {
                    sums[lid] = sums[lid] + sums[lid + st];
                    counts[lid] = counts[lid] + counts[lid + st];
                }
            }
            c.localBarrier();
            if (lid == 0) {
                float loss = 0f;
                if (counts[0] > 0) loss = (float) (sums[0] / counts[0]);
                h.set(lossOff, loss);
            }
        }
    }

    /** One work-group: scale = dLoss[0] / count (0 if no row counts). a: [targetsOff, rows, ignoreIndex, dLossOff, scaleOff] */
    public static void crossEntropyScale(KernelContext c, FloatArray h, IntArray ih, IntArray a, FloatArray f, int b) {
        int to = a.get(b), rows = a.get(b + 1), ignore = a.get(b + 2), dlo = a.get(b + 3), so = a.get(b + 4);
        int[] counts = c.allocateIntLocalArray(WG);
        int lid = c.localIdx;
        if (c.groupIdx == 0) {
            int n = 0;
            for (int r = lid; r < rows; r += WG) {
                if (ih.get(to + r) != ignore) n++;
            }
            counts[lid] = n;
            for (int st = WG / 2; st > 0; st /= 2) {
                c.localBarrier();
                if (lid < st) counts[lid] = counts[lid] + counts[lid + st];
            }
            c.localBarrier();
            if (lid == 0) {
                float sc = 0f;
                if (counts[0] > 0) sc = h.get(dlo) / counts[0];
                h.set(so, sc);
            }
        }
    }

    /** Softcap kinds: none (plain cross-entropy), cap·tanh(z/cap), cap·σ(4z/cap). */
    public static final int NO_CAP = 0, TANH_CAP = 1, SIGMOID_CAP = 2;

    /** The logit after the softcap of this kind. */
    private static float capped(float z, int kind, float cap) {
        float s = z;
        if (kind == TANH_CAP) s = cap * TornadoMath.tanh(z / cap);
        if (kind == SIGMOID_CAP) s = cap / (1f + TornadoMath.exp(-4f * z / cap));
        return s;
    }

    /** ds/dz from s: 1 (none), 1 − (s/cap)² (tanh), 4·(s/cap)·(1 − s/cap) (sigmoid). */
    private static float cappedSlope(float s, int kind, float cap) {
        float u = s / cap, d = 1f;
        if (kind == TANH_CAP) d = 1f - u * u;
        if (kind == SIGMOID_CAP) d = 4f * u * (1f - u);
        return d;
    }

    /**
     * Per row (a work-group each), over s = capped(z): lse = m + log Σ exp(s − m), m = capped(max z) (the cap is
     * increasing); rowLoss = lse − s[target] (0 when ignored); an out-of-range target is reported in the status block.
     * a: [logitsOff, targetsOff, lseOff, rowLossOff, rows, vocab, ignoreIndex, kind] f: [cap]
     */
    public static void crossEntropyRows(KernelContext c, FloatArray h, IntArray ih, IntArray a, FloatArray f, int b) {
        int xo = a.get(b), to = a.get(b + 1), lo = a.get(b + 2), rlo = a.get(b + 3), rows = a.get(b + 4), vocab = a.get(b + 5);
        int ignore = a.get(b + 6), kind = a.get(b + 7);
        float cap = f.get(b);
        float[] red = c.allocateFloatLocalArray(WG);
        int lid = c.localIdx;
        int groups = c.globalGroupSizeX / WG;
        for (int r = c.groupIdx; r < rows; r += groups) {
            int o = xo + r * vocab;
            float mx = Float.NEGATIVE_INFINITY;
            for (int j = lid; j < vocab; j += WG) mx = TornadoMath.max(mx, h.get(o + j));
            red[lid] = mx;
            for (int s = WG / 2; s > 0; s /= 2) {
                c.localBarrier();
                if (lid < s) red[lid] = TornadoMath.max(red[lid], red[lid + s]);
            }
            c.localBarrier();
            float m = capped(red[0], kind, cap);
            c.localBarrier();
            float sum = 0f;
            for (int j = lid; j < vocab; j += WG) sum += TornadoMath.exp(capped(h.get(o + j), kind, cap) - m);
            float z = m + TornadoMath.log(KNorms.groupSum(c, red, sum));
            if (lid == 0) {
                h.set(lo + r, z);
                int t = ih.get(to + r);
                float loss = 0f;
                if (t != ignore) {
                    if (t < 0 || t >= vocab) {
                        ih.set(KMemory.STATUS_POSITION, r);
                        ih.set(KMemory.STATUS_VALUE, t);
                        ih.set(KMemory.STATUS_LIMIT, vocab);
                        ih.set(KMemory.STATUS_CODE, KMemory.ERR_TARGET);
                    } else {
                        loss = z - capped(h.get(o + t), kind, cap);
                    }
                }
                h.set(rlo + r, loss);
            }
        }
    }

    /**
     * dz (+)= scale·(softmax(s) − onehot)·ds/dz for counted rows, 0 for ignored ones, s = capped(z).
     * a: [logitsOff, targetsOff, lseOff, scaleOff, dOff, rows, vocab, ignoreIndex, accumulate, kind] f: [cap]
     */
    public static void crossEntropyBackward(KernelContext c, FloatArray h, IntArray ih, IntArray a, FloatArray f, int b) {
        int xo = a.get(b), to = a.get(b + 1), lo = a.get(b + 2), so = a.get(b + 3), dOff = a.get(b + 4);
        int rows = a.get(b + 5), vocab = a.get(b + 6), ignore = a.get(b + 7), acc = a.get(b + 8), kind = a.get(b + 9);
        float cap = f.get(b);
        float scale = h.get(so);
        int total = rows * vocab;
        for (int e = c.globalIdx; e < total; e += c.globalGroupSizeX) {
            int r = e / vocab;
            int j = e - r * vocab;
            int t = ih.get(to + r);
            float sc = t == ignore ? 0f : scale;
            float s = capped(h.get(xo + e), kind, cap);
            float g = TornadoMath.exp(s - h.get(lo + r)) * sc;
            if (j == t) g = g - sc;
            g = g * cappedSlope(s, kind, cap);
            if (acc == 1) g = h.get(dOff + e) + g;
            h.set(dOff + e, g);
        }
    }

    /**
     * out[i, :] = table[ids[i], :]; an id outside [0, vocab) writes zeros and is reported in the status block.
     * a: [idsOff, tableOff, outOff, n, dim, vocab]
     */
    public static void embeddingLookup(KernelContext c, FloatArray h, IntArray ih, IntArray a, FloatArray f, int b) {
        int io = a.get(b), to = a.get(b + 1), oo = a.get(b + 2), n = a.get(b + 3), dim = a.get(b + 4), vocab = a.get(b + 5);
        int total = n * dim;
        for (int e = c.globalIdx; e < total; e += c.globalGroupSizeX) {
            int i = e / dim;
            int d = e - i * dim;
            int id = ih.get(io + i);
            float v = 0f;
            if (id < 0 || id >= vocab) {
                if (d == 0) {
                    ih.set(KMemory.STATUS_POSITION, i);
                    ih.set(KMemory.STATUS_VALUE, id);
                    ih.set(KMemory.STATUS_LIMIT, vocab);
                    ih.set(KMemory.STATUS_CODE, KMemory.ERR_EMBEDDING_ID);
                }
            } else {
                v = h.get(to + id * dim + d);
            }
            h.set(oo + e, v);
        }
    }

    /**
     * dTable[ids[i], d] += dOut[i, d], one thread per column d summing positions in order (deterministic).
     * a: [idsOff, dOutOff, dTableOff, n, dim, vocab]
     */
    public static void embeddingBackward(KernelContext c, FloatArray h, IntArray ih, IntArray a, FloatArray f, int b) {
        int io = a.get(b), go = a.get(b + 1), to = a.get(b + 2), n = a.get(b + 3), dim = a.get(b + 4), vocab = a.get(b + 5);
        for (int d = c.globalIdx; d < dim; d += c.globalGroupSizeX) {
            for (int i = 0; i < n; i++) {
                int id = ih.get(io + i);
                if (id >= 0 && id < vocab) {
                    int ti = to + id * dim + d;
                    h.set(ti, h.get(ti) + h.get(go + i * dim + d));
                }
            }
        }
    }

    /** y = keep(i) ? x·scale : 0. a: [xOff, yOff, n, seedHi, seedLo] f: [p, scale] */
    public static void dropout(KernelContext c, FloatArray h, IntArray ih, IntArray a, FloatArray f, int b) {
        int xo = a.get(b), yo = a.get(b + 1), n = a.get(b + 2), hi = a.get(b + 3), lo = a.get(b + 4);
        float p = f.get(b), scale = f.get(b + 1);
        for (int i = c.globalIdx; i < n; i += c.globalGroupSizeX) {
            float y = 0f;
            if (KAttention.keep(hi, lo, i, p)) y = h.get(xo + i) * scale;
            h.set(yo + i, y);
        }
    }

    /** dx (+)= keep(i) ? dy·scale : 0. a: [dyOff, dxOff, n, seedHi, seedLo, accumulate] f: [p, scale] */
    public static void dropoutBackward(KernelContext c, FloatArray h, IntArray ih, IntArray a, FloatArray f, int b) {
        int dyo = a.get(b), dxo = a.get(b + 1), n = a.get(b + 2), hi = a.get(b + 3), lo = a.get(b + 4), acc = a.get(b + 5);
        float p = f.get(b), scale = f.get(b + 1);
        for (int i = c.globalIdx; i < n; i += c.globalGroupSizeX) {
            float g = 0f;
            if (KAttention.keep(hi, lo, i, p)) g = h.get(dyo + i) * scale;
            if (acc == 1) g = h.get(dxo + i) + g;
            h.set(dxo + i, g);
        }
    }
}
