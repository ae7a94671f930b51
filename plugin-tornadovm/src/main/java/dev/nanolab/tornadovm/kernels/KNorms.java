package dev.nanolab.tornadovm.kernels;

import static dev.nanolab.tornadovm.kernels.KMemory.WG;

import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.math.TornadoMath;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * Layer norm and RMS norm over rows of length dim: a work-group of {@link KMemory#WG} per row for the row kernels;
 * parameter gradients are summed per block of {@link #BLOCK} rows into partials, then the partials in block order,
 * so they do not depend on the launch size.
 */
public final class KNorms {
    public static final int BLOCK = 32;

    private KNorms() {}

    /** Sum of red[0..WG) by a tree; every thread gets the result. Ends with a barrier. */
    static float groupSum(KernelContext c, float[] red, float v) {
        int lid = c.localIdx;
        red[lid] = v;
        for (int s = WG / 2; s > 0; s /= 2) {
            c.localBarrier();
            if (lid < s) red[lid] = red[lid] + red[lid + s];
        }
        c.localBarrier();
        float r = red[0];
        c.localBarrier();
        return r;
    }

    /**
     * y = (x − mean)·rstd·w + bias, saving mean and rstd. a: [xOff, wOff, bOff, yOff, meanOff, rstdOff, rows, dim,
     * hasW, hasB] f: [eps]
     */
    public static void layerNorm(KernelContext c, FloatArray h, IntArray ih, IntArray a, FloatArray f, int b) {
        int xo = a.get(b), wo = a.get(b + 1), bo = a.get(b + 2), yo = a.get(b + 3), mo = a.get(b + 4), ro = a.get(b + 5);
        int rows = a.get(b + 6), dim = a.get(b + 7), hasW = a.get(b + 8), hasB = a.get(b + 9);
        float eps = f.get(b);
        float[] red = c.allocateFloatLocalArray(WG);
        int lid = c.localIdx;
        int groups = c.globalGroupSizeX / WG;
        for (int r = c.groupIdx; r < rows; r += groups) {
            int o = xo + r * dim;
            float s = 0f;
            for (int i = lid; i < dim; i += WG) s += h.get(o + i);
            float m = groupSum(c, red, s) / dim;
            float v = 0f;
            for (int i = lid; i < dim; i += WG) {
                float d = h.get(o + i) - m;
                v += d * d;
            }
            float var = groupSum(c, red, v) / dim;
            float rs = 1f / TornadoMath.sqrt(var + eps);
            if (lid == 0) {
                h.set(mo + r, m);
                h.set(ro + r, rs);
            }
            for (int i = lid; i < dim; i += WG) {
                float n = (h.get(o + i) - m) * rs;
                if (hasW == 1) n = n * h.get(wo + i);
                if (hasB == 1) n = n + h.get(bo + i);
                h.set(yo + r * dim + i, n);
            }
        }
    }

    /**
     * dx (+)= (w·dy − mean(w·dy) − n·mean(w·dy·n))·rstd, n = (x − mean)·rstd.
     * a: [dyOff, xOff, wOff, meanOff, rstdOff, dxOff, rows, dim, hasW, accumulate]
     */
    public static void layerNormBackwardDx(KernelContext c, FloatArray h, IntArray ih, IntArray a, FloatArray f, int b) {
        int dyo = a.get(b), xo = a.get(b + 1), wo = a.get(b + 2), mo = a.get(b + 3), ro = a.get(b + 4), dxo = a.get(b + 5);
        int rows = a.get(b + 6), dim = a.get(b + 7), hasW = a.get(b + 8), acc = a.get(b + 9);
        float[] red = c.allocateFloatLocalArray(WG);
        int lid = c.localIdx;
        int groups = c.globalGroupSizeX / WG;
        for (int r = c.groupIdx; r < rows; r += groups) {
            int o = r * dim;
            float m = h.get(mo + r), s = h.get(ro + r);
            float sd = 0f, sdn = 0f;
            for (int i = lid; i < dim; i += WG) {
                float n = (h.get(xo + o + i) - m) * s;
                float d = h.get(dyo + o + i);
                if (hasW == 1) d = d * h.get(wo + i);
                sd += d;
                sdn += d * n;
            }
            float meanD = groupSum(c, red, sd) / dim;
            float meanDN = groupSum(c, red, sdn) / dim;
            for (int i = lid; i < dim; i += WG) {
                float n = (h.get(xo + o + i) - m) * s;
                float d = h.get(dyo + o + i);
                if (hasW == 1) d = d * h.get(wo + i);
                float g = (d - meanD - n * meanDN) * s;
                if (acc == 1) g = h.get(dxo + o + i) + g;
                h.set(dxo + o + i, g);
            }
        }
    }

    /**
     * Per block of BLOCK rows and column i: pw[blk, i] = Σ dy·n, pb[blk, i] = Σ dy (rows in order).
     * a: [dyOff, xOff, meanOff, rstdOff, rows, dim, pwOff, pbOff, hasW, hasB]
     */
    public static void layerNormParamPartials(KernelContext c, FloatArray h, IntArray ih, IntArray a, FloatArray f, int b) {
        int dyo = a.get(b), xo = a.get(b + 1), mo = a.get(b + 2), ro = a.get(b + 3), rows = a.get(b + 4), dim = a.get(b + 5);
        int pwo = a.get(b + 6), pbo = a.get(b + 7), hasW = a.get(b + 8), hasB = a.get(b + 9);
        int blocks = (rows + 31) / 32;
        int total = blocks * dim;
        for (int t = c.globalIdx; t < total; t += c.globalGroupSizeX) {
            int blk = t / dim;
            int i = t - blk * dim;
            int r1 = Math.min(rows, (blk + 1) * 32);
            float sw = 0f, sb = 0f;
            for (int r = blk * 32; r < r1; r++) {
                float dy = h.get(dyo + r * dim + i);
                float n = (h.get(xo + r * dim + i) - h.get(mo + r)) * h.get(ro + r);
                sw += dy * n;
                sb += dy;
            }
            if (hasW == 1) h.set(pwo + t, sw);
            if (hasB == 1) h.set(pbo + t, sb);
        }
    }

    /** dst[i] (+)= Σ_blk part[blk·dim + i], blocks in order. a: [partOff, dstOff, blocks, dim, accumulate] */
    public static void sumPartials(KernelContext c, FloatArray h, IntArray ih, IntArray a, FloatArray f, int b) {
        int po = a.get(b), dO = a.get(b + 1), blocks = a.get(b + 2), dim = a.get(b + 3), acc = a.get(b + 4);
        for (int i = c.globalIdx; i < dim; i += c.globalGroupSizeX) {
            float s = acc == 1 ? h.get(dO + i) : 0f;
            for (int blk = 0; blk < blocks; blk++) s += h.get(po + blk * dim + i);
            h.set(dO + i, s);
        }
    }

    /** y = x·rstd·w, rstd = 1/√(mean(x²) + eps). a: [xOff, wOff, yOff, rstdOff, rows, dim, hasW] f: [eps] */
    public static void rmsNorm(KernelContext c, FloatArray h, IntArray ih, IntArray a, FloatArray f, int b) {
        int xo = a.get(b), wo = a.get(b + 1), yo = a.get(b + 2), ro = a.get(b + 3), rows = a.get(b + 4), dim = a.get(b + 5);
        int hasW = a.get(b + 6);
        float eps = f.get(b);
        float[] red = c.allocateFloatLocalArray(WG);
        int lid = c.localIdx;
        int groups = c.globalGroupSizeX / WG;
        for (int r = c.groupIdx; r < rows; r += groups) {
            int o = r * dim;
            float s = 0f;
            for (int i = lid; i < dim; i += WG) {
                float x = h.get(xo + o + i);
                s += x * x;
            }
            float ms = groupSum(c, red, s) / dim;
            float rs = 1f / TornadoMath.sqrt(ms + eps);
            if (lid == 0) h.set(ro + r, rs);
            for (int i = lid; i < dim; i += WG) {
                float y = h.get(xo + o + i) * rs;
                if (hasW == 1) y = y * h.get(wo + i);
                h.set(yo + o + i, y);
            }
        }
    }

    /** dx (+)= rstd·(w·dy) − x·rstd³·mean(w·dy·x). a: [dyOff, xOff, wOff, rstdOff, dxOff, rows, dim, hasW, accumulate] */
    public static void rmsNormBackwardDx(KernelContext c, FloatArray h, IntArray ih, IntArray a, FloatArray f, int b) {
        int dyo = a.get(b), xo = a.get(b + 1), wo = a.get(b + 2), ro = a.get(b + 3), dxo = a.get(b + 4);
        int rows = a.get(b + 5), dim = a.get(b + 6), hasW = a.get(b + 7), acc = a.get(b + 8);
        float[] red = c.allocateFloatLocalArray(WG);
        int lid = c.localIdx;
        int groups = c.globalGroupSizeX / WG;
        for (int r = c.groupIdx; r < rows; r += groups) {
            int o = r * dim;
            float s = h.get(ro + r);
            float dot = 0f;
            for (int i = lid; i < dim; i += WG) {
                float w = hasW == 1 ? h.get(wo + i) : 1f;
                dot += w * h.get(dyo + o + i) * h.get(xo + o + i);
            }
            float cc = s * s * s * groupSum(c, red, dot) / dim;
            for (int i = lid; i < dim; i += WG) {
                float w = hasW == 1 ? h.get(wo + i) : 1f;
                float g = s * w * h.get(dyo + o + i) - h.get(xo + o + i) * cc;
                if (acc == 1) g = h.get(dxo + o + i) + g;
                h.set(dxo + o + i, g);
            }
        }
    }

    /** pw[blk, i] = Σ_rows-in-block dy·x·rstd. a: [dyOff, xOff, rstdOff, rows, dim, pwOff] */
    public static void rmsNormParamPartials(KernelContext c, FloatArray h, IntArray ih, IntArray a, FloatArray f, int b) {
        int dyo = a.get(b), xo = a.get(b + 1), ro = a.get(b + 2), rows = a.get(b + 3), dim = a.get(b + 4), pwo = a.get(b + 5);
        int blocks = (rows + 31) / 32;
        int total = blocks * dim;
        for (int t = c.globalIdx; t < total; t += c.globalGroupSizeX) {
            int blk = t / dim;
            int i = t - blk * dim;
            int r1 = Math.min(rows, (blk + 1) * 32);
            float sw = 0f;
            for (int r = blk * 32; r < r1; r++) sw += h.get(dyo + r * dim + i) * h.get(xo + r * dim + i) * h.get(ro + r);
            h.set(pwo + t, sw);
        }
    }
}
