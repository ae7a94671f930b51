package dev.nanolab.tornadovm.kernels;

import static dev.nanolab.tornadovm.kernels.KMemory.WG;

import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.math.TornadoMath;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * Row softmax with the softmax1 extra term and causal masks, and mask filling. A mask is given as (has, queries,
 * keys, queryOffset, window, hasDocs, docsOff, heads); row r is query {@code r % queries} of batch entry
 * {@code r / (heads · queries)}, which sees keys {@code [window > 0 ? max(0, i − window + 1) : 0, min(keys, i + 1))}
 * with {@code i = queryOffset + r % queries}, the start raised to its document's start (int arena
 * {@code docsOff + batch · queries + r % queries}) when there are documents.
 */
public final class KSoftmax {
    private KSoftmax() {}

    static int firstKey(int hasMask, int mq, int mqo, int mw, int r, int hasDocs, IntArray ih, int docsOff, int heads) {
        int j0 = 0;
        if (hasMask == 1 && mw > 0) j0 = Math.max(0, mqo + (r % mq) - mw + 1);
        if (hasMask == 1 && hasDocs == 1) j0 = Math.max(j0, ih.get(docsOff + (r / (heads * mq)) * mq + r % mq));
        return j0;
    }

    static int endKey(int hasMask, int mq, int mk, int mqo, int r, int cols) {
        int j1 = cols;
        if (hasMask == 1) j1 = Math.min(mk, mqo + (r % mq) + 1);
        return j1;
    }

    /**
     * y_j = exp(x_j − m)/(exp(e − m) + Σ exp(x_k − m)) over unmasked j, 0 elsewhere; m = max(max x, e).
     * a: [xOff, yOff, rows, cols, hasMask, mq, mk, mqo, mw, hasExtra, hasDocs, docsOff, heads] f: [extra]
     */
    public static void softmax(KernelContext c, FloatArray h, IntArray ih, IntArray a, FloatArray f, int b) {
        int xo = a.get(b), yo = a.get(b + 1), rows = a.get(b + 2), cols = a.get(b + 3), hasMask = a.get(b + 4);
        int mq = a.get(b + 5), mk = a.get(b + 6), mqo = a.get(b + 7), mw = a.get(b + 8), hasExtra = a.get(b + 9);
        int hasDocs = a.get(b + 10), docsOff = a.get(b + 11), heads = a.get(b + 12);
        float extra = f.get(b);
        float[] red = c.allocateFloatLocalArray(WG);
        int lid = c.localIdx;
        int groups = c.globalGroupSizeX / WG;
        for (int r = c.groupIdx; r < rows; r += groups) {
            int o = r * cols;
            int j0 = firstKey(hasMask, mq, mqo, mw, r, hasDocs, ih, docsOff, heads);
            int j1 = endKey(hasMask, mq, mk, mqo, r, cols);
            float mx = Float.NEGATIVE_INFINITY;
            for (int j = j0 + lid; j < j1; j += WG) mx = TornadoMath.max(mx, h.get(xo + o + j));
            red[lid] = mx;
            for (int s = WG / 2; s > 0; s /= 2) {
                c.localBarrier();
                if (lid < s) red[lid] = TornadoMath.max(red[lid], red[lid + s]);
            }
            c.localBarrier();
            float m = red[0];
            if (hasExtra == 1) m = TornadoMath.max(m, extra);
            c.localBarrier();
            float sum = 0f;
            if (m != Float.NEGATIVE_INFINITY) {
                for (int j = j0 + lid; j < j1; j += WG) sum += TornadoMath.exp(h.get(xo + o + j) - m);
            }
            float total = KNorms.groupSum(c, red, sum);
            if (hasExtra == 1 && m != Float.NEGATIVE_INFINITY) total += TornadoMath.exp(extra - m);
            float inv = 1f / total;
            for (int j = lid; j < cols; j += WG) {
                float y = 0f;
                if (j >= j0 && j < j1 && m != Float.NEGATIVE_INFINITY) y = TornadoMath.exp(h.get(xo + o + j) - m) * inv;
                h.set(yo + o + j, y);
            }
        }
    }

    /** dx_j (+)= y_j·(dy_j − Σ y_k dy_k). a: [yOff, dyOff, dxOff, rows, cols, accumulate] */
    public static void softmaxBackward(KernelContext c, FloatArray h, IntArray ih, IntArray a, FloatArray f, int b) {
        int yo = a.get(b), dyo = a.get(b + 1), dxo = a.get(b + 2), rows = a.get(b + 3), cols = a.get(b + 4), acc = a.get(b + 5);
        float[] red = c.allocateFloatLocalArray(WG);
        int lid = c.localIdx;
        int groups = c.globalGroupSizeX / WG;
        for (int r = c.groupIdx; r < rows; r += groups) {
            int o = r * cols;
            float d = 0f;
            for (int j = lid; j < cols; j += WG) d += h.get(yo + o + j) * h.get(dyo + o + j);
            float dot = KNorms.groupSum(c, red, d);
            for (int j = lid; j < cols; j += WG) {
                float g = h.get(yo + o + j) * (h.get(dyo + o + j) - dot);
                if (acc == 1) g = h.get(dxo + o + j) + g;
                h.set(dxo + o + j, g);
            }
        }
    }

    /** y = x where the mask allows, value elsewhere. a: [xOff, yOff, rows, cols, mq, mk, mqo, mw, hasDocs, docsOff, heads] f: [value] */
    public static void maskFill(KernelContext c, FloatArray h, IntArray ih, IntArray a, FloatArray f, int b) {
        int xo = a.get(b), yo = a.get(b + 1), rows = a.get(b + 2), cols = a.get(b + 3);
        int mq = a.get(b + 4), mk = a.get(b + 5), mqo = a.get(b + 6), mw = a.get(b + 7);
        int hasDocs = a.get(b + 8), docsOff = a.get(b + 9), heads = a.get(b + 10);
        float value = f.get(b);
        int total = rows * cols;
        for (int t = c.globalIdx; t < total; t += c.globalGroupSizeX) {
            int r = t / cols;
            int j = t - r * cols;
            int j0 = firstKey(1, mq, mqo, mw, r, hasDocs, ih, docsOff, heads), j1 = endKey(1, mq, mk, mqo, r, cols);
            h.set(yo + t, (j >= j0 && j < j1) ? h.get(xo + t) : value);
        }
    }

    /** dx (+)= dy where the mask allows, 0 elsewhere. a: [dyOff, dxOff, rows, cols, mq, mk, mqo, mw, accumulate, hasDocs, docsOff, heads] */
    public static void maskFillBackward(KernelContext c, FloatArray h, IntArray ih, IntArray a, FloatArray f, int b) {
        int dyo = a.get(b), dxo = a.get(b + 1), rows = a.get(b + 2), cols = a.get(b + 3);
        int mq = a.get(b + 4), mk = a.get(b + 5), mqo = a.get(b + 6), mw = a.get(b + 7), acc = a.get(b + 8);
        int hasDocs = a.get(b + 9), docsOff = a.get(b + 10), heads = a.get(b + 11);
        int total = rows * cols;
        for (int t = c.globalIdx; t < total; t += c.globalGroupSizeX) {
            int r = t / cols;
            int j = t - r * cols;
            int j0 = firstKey(1, mq, mqo, mw, r, hasDocs, ih, docsOff, heads), j1 = endKey(1, mq, mk, mqo, r, cols);
            float g = (j >= j0 && j < j1) ? h.get(dyo + t) : 0f;
            if (acc == 1) g = h.get(dxo + t) + g;
            h.set(dxo + t, g);
        }
    }
}
