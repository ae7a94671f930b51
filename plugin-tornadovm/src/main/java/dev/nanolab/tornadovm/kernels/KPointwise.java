package dev.nanolab.tornadovm.kernels;

import static dev.nanolab.tornadovm.kernels.KMemory.WG;

import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.math.TornadoMath;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * Elementwise, broadcasting, strided-copy and reduction kernels. Op codes are the ordinals of
 * {@code dev.nanolab.api.backend.UnaryOp}, {@code BinaryOp} and {@code ReduceOp}.
 */
public final class KPointwise {
    /** Strided kernels handle up to this many dimensions (the host merges contiguous ones first). */
    public static final int MAX_RANK = 8;
    private static final float GELU_K = 0.7978845608028654f;

    private KPointwise() {}

    // UnaryOp ordinals
    static final int NEG = 0, EXP = 1, LOG = 2, SQRT = 3, RSQRT = 4, TANH = 5, SIGMOID = 6, RELU = 7, RELU_SQUARED = 8,
            GELU_TANH = 9, ABS = 10, SQUARE = 11, RECIPROCAL = 12, SCALE = 13, ADD_SCALAR = 14, POW = 15, CLAMP = 16;

    static float unaryOf(int op, float p0, float p1, float x) {
        float y;
        if (op == NEG) y = -x;
        else if (op == EXP) y = TornadoMath.exp(x);
        else if (op == LOG) y = TornadoMath.log(x);
        else if (op == SQRT) y = TornadoMath.sqrt(x);
        else if (op == RSQRT) y = 1f / TornadoMath.sqrt(x);
        else if (op == TANH) y = TornadoMath.tanh(x);
        else if (op == SIGMOID) y = 1f / (1f + TornadoMath.exp(-x));
        else if (op == RELU) y = x > 0f ? x : (x != x ? x : 0f);
        else if (op == RELU_SQUARED) y = x > 0f ? x * x : (x != x ? x : 0f);
        else if (op == GELU_TANH) {
            // 0.5·x·(1 + tanh(u)) as x·σ(2u), the CPU backend's form: one exp and one division.
            float u = (x * x * x * 0.044715f + x) * GELU_K;
            y = x / (TornadoMath.exp(u * -2f) + 1f);
        } else if (op == ABS) y = TornadoMath.abs(x);
        else if (op == SQUARE) y = x * x;
        else if (op == RECIPROCAL) y = 1f / x;
        else if (op == SCALE) y = p0 * x;
        else if (op == ADD_SCALAR) y = x + p0;
        else if (op == POW) y = TornadoMath.pow(x, p0);
        else y = x != x ? x : TornadoMath.min(TornadoMath.max(x, p0), p1);
        return y;
    }

    /** f'(x) given x and y = f(x), as the CPU backend defines it. */
    static float derivativeOf(int op, float p0, float p1, float x, float y) {
        float d;
        if (op == NEG) d = -1f;
        else if (op == EXP) d = y;
        else if (op == LOG) d = 1f / x;
        else if (op == SQRT) d = 0.5f / y;
        else if (op == RSQRT) d = -0.5f * y * y * y;
        else if (op == TANH) d = 1f - y * y;
        else if (op == SIGMOID) d = y * (1f - y);
        else if (op == RELU) d = x > 0f ? 1f : 0f;
        else if (op == RELU_SQUARED) d = x > 0f ? 2f * x : 0f;
        else if (op == GELU_TANH) {
            float x2 = x * x, u = (x2 * x * 0.044715f + x) * GELU_K;
            float e = TornadoMath.exp(TornadoMath.min(u * -2f, 88f)), s = 1f / (e + 1f);
            float dudx2 = (x2 * (3f * 0.044715f) + 1f) * (2f * GELU_K);
            d = (e * s * x * dudx2 + 1f) * s;
        } else if (op == ABS) d = x > 0f ? 1f : (x < 0f ? -1f : 0f);
        else if (op == SQUARE) d = 2f * x;
        else if (op == RECIPROCAL) d = -y * y;
        else if (op == SCALE) d = p0;
        else if (op == ADD_SCALAR) d = 1f;
        else if (op == POW) d = p0 * TornadoMath.pow(x, p0 - 1f);
        else d = (x >= p0 && x <= p1) ? 1f : 0f;
        return d;
    }

    /** y = f(x). a: [op, xOff, yOff, n] f: [p0, p1] */
    public static void unary(KernelContext c, FloatArray h, IntArray ih, IntArray a, FloatArray f, int b) {
        int op = a.get(b), xo = a.get(b + 1), yo = a.get(b + 2), n = a.get(b + 3);
        float p0 = f.get(b), p1 = f.get(b + 1);
        for (int i = c.globalIdx; i < n; i += c.globalGroupSizeX) h.set(yo + i, unaryOf(op, p0, p1, h.get(xo + i)));
    }

    /** dx (+)= f'(x)·dy. a: [op, xOff, yOff, dyOff, dxOff, n, accumulate] f: [p0, p1] */
    public static void unaryBackward(KernelContext c, FloatArray h, IntArray ih, IntArray a, FloatArray f, int b) {
        int op = a.get(b), xo = a.get(b + 1), yo = a.get(b + 2), dyo = a.get(b + 3), dxo = a.get(b + 4);
        int n = a.get(b + 5), acc = a.get(b + 6);
        float p0 = f.get(b), p1 = f.get(b + 1);
        for (int i = c.globalIdx; i < n; i += c.globalGroupSizeX) {
            float g;
            if (op == SCALE) g = p0 * h.get(dyo + i);
            else g = derivativeOf(op, p0, p1, h.get(xo + i), h.get(yo + i)) * h.get(dyo + i);
            if (acc == 1) g = h.get(dxo + i) + g;
            h.set(dxo + i, g);
        }
    }

    static float binaryOf(int op, float x, float y) {
        float r;
        if (op == 0) r = x + y;
        else if (op == 1) r = x - y;
        else if (op == 2) r = x * y;
        else if (op == 3) r = x / y;
        else if (op == 4) r = (x != x || y != y) ? x + y : TornadoMath.max(x, y);
        else if (op == 5) r = (x != x || y != y) ? x + y : TornadoMath.min(x, y);
        else if (op == 6) r = x == y ? 1f : 0f;
        else r = x > y ? 1f : 0f;
        return r;
    }

    /**
     * out[i] = a[idx(i)] op b[idx(i)] over a shape of rank r (out contiguous).
     * a: [op, aOff, bOff, outOff, rank, total, shape[r], aStrides[r], bStrides[r]]
     */
    public static void binary(KernelContext c, FloatArray h, IntArray ih, IntArray a, FloatArray f, int b) {
        int op = a.get(b), ao = a.get(b + 1), bo = a.get(b + 2), oo = a.get(b + 3), rank = a.get(b + 4), total = a.get(b + 5);
        int sh = b + 6, sa = sh + rank, sb = sa + rank;
        for (int i = c.globalIdx; i < total; i += c.globalGroupSizeX) {
            int rem = i, pa = ao, pb = bo;
            for (int d = rank - 1; d >= 0; d--) {
                int dim = a.get(sh + d);
                int q = rem / dim;
                int id = rem - q * dim;
                rem = q;
                pa += id * a.get(sa + d);
                pb += id * a.get(sb + d);
            }
            h.set(oo + i, binaryOf(op, h.get(pa), h.get(pb)));
        }
    }

    /** dst[idx] (+)= src[idx] (float32). a: [srcOff, dstOff, rank, total, accumulate, shape[r], srcStrides[r], dstStrides[r]] */
    public static void copyF(KernelContext c, FloatArray h, IntArray ih, IntArray a, FloatArray f, int b) {
        int so = a.get(b), dO = a.get(b + 1), rank = a.get(b + 2), total = a.get(b + 3), acc = a.get(b + 4);
        int sh = b + 5, ss = sh + rank, ds = ss + rank;
        for (int i = c.globalIdx; i < total; i += c.globalGroupSizeX) {
            int rem = i, ps = so, pd = dO;
            for (int d = rank - 1; d >= 0; d--) {
                int dim = a.get(sh + d);
                int q = rem / dim;
                int id = rem - q * dim;
                rem = q;
                ps += id * a.get(ss + d);
                pd += id * a.get(ds + d);
            }
            float v = h.get(ps);
            if (acc == 1) v = h.get(pd) + v;
            h.set(pd, v);
        }
    }

    /** dst[idx] = src[idx] (int32). a: [srcOff, dstOff, rank, total, 0, shape[r], srcStrides[r], dstStrides[r]] */
    public static void copyI(KernelContext c, FloatArray h, IntArray ih, IntArray a, FloatArray f, int b) {
        int so = a.get(b), dO = a.get(b + 1), rank = a.get(b + 2), total = a.get(b + 3);
        int sh = b + 5, ss = sh + rank, ds = ss + rank;
        for (int i = c.globalIdx; i < total; i += c.globalGroupSizeX) {
            int rem = i, ps = so, pd = dO;
            for (int d = rank - 1; d >= 0; d--) {
                int dim = a.get(sh + d);
                int q = rem / dim;
                int id = rem - q * dim;
                rem = q;
                ps += id * a.get(ss + d);
                pd += id * a.get(ds + d);
            }
            ih.set(pd, ih.get(ps));
        }
    }

    // ReduceOp ordinals: SUM, MEAN, MAX, SUM_OF_SQUARES

    /**
     * y[o, i] (+)= reduce_l x[o, l, i], one thread per output, l summed in order.
     * a: [op, xOff, yOff, outer, length, inner, accumulate]
     */
    public static void reduceColumns(KernelContext c, FloatArray h, IntArray ih, IntArray a, FloatArray f, int b) {
        int op = a.get(b), xo = a.get(b + 1), yo = a.get(b + 2), outer = a.get(b + 3), len = a.get(b + 4);
        int inner = a.get(b + 5), acc = a.get(b + 6);
        int total = outer * inner;
        for (int t = c.globalIdx; t < total; t += c.globalGroupSizeX) {
            int o = t / inner;
            int i = t - o * inner;
            int base = xo + o * len * inner + i;
            float r = op == 2 ? Float.NEGATIVE_INFINITY : 0f;
            for (int l = 0; l < len; l++) {
                float v = h.get(base + l * inner);
                if (op == 2) r = TornadoMath.max(r, v);
                else if (op == 3) r += v * v;
                else r += v;
            }
            if (op == 1) r = r / len;
            if (acc == 1) r = h.get(yo + t) + r;
            h.set(yo + t, r);
        }
    }

    /**
     * y[o] (+)= reduce_l x[o, l] for contiguous rows: one work-group of {@link KMemory#WG} per row, a tree reduction
     * in local memory. a: [op, xOff, yOff, outer, length, accumulate]
     */
    public static void reduceRows(KernelContext c, FloatArray h, IntArray ih, IntArray a, FloatArray f, int b) {
        int op = a.get(b), xo = a.get(b + 1), yo = a.get(b + 2), outer = a.get(b + 3), len = a.get(b + 4), acc = a.get(b + 5);
        float[] red = c.allocateFloatLocalArray(WG);
        int lid = c.localIdx;
        int groups = c.globalGroupSizeX / WG;
        for (int o = c.groupIdx; o < outer; o += groups) {
            int base = xo + o * len;
            float r = op == 2 ? Float.NEGATIVE_INFINITY : 0f;
            for (int l = lid; l < len; l += WG) {
                float v = h.get(base + l);
                if (op == 2) r = TornadoMath.max(r, v);
                else if (op == 3) r += v * v;
                else r += v;
            }
            red[lid] = r;
            for (int s = WG / 2; s > 0; s /= 2) {
                c.localBarrier();
                if (lid < s) {
                    if (op == 2) red[lid] = TornadoMath.max(red[lid], red[lid + s]);
                    else red[lid] = red[lid] + red[lid + s];
                }
            }
            c.localBarrier();
            if (lid == 0) {
                float v = red[0];
                if (op == 1) v = v / len;
                if (acc == 1) v = h.get(yo + o) + v;
                h.set(yo + o, v);
            }
            c.localBarrier();
        }
    }
}
