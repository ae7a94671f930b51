package dev.nanolab.tornadovm.kernels;

import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * Rotary position embedding: a thread per channel pair, as {@code dev.nanolab.api.backend.Rotary} defines it. The
 * entry is not called {@code rotate}: that is an OpenCL built-in, and PoCL then finds no kernel of that name.
 */
public final class KRotary {
    private KRotary() {}

    /**
     * a: [xOff, xRow, yOff, yRow, cosOff, sinOff, T, H, D, positionOffset, inverse, accumulate, pairs]. The pair i is
     * (row r = i / (H·D/2), head h, channel j), rotated by the table's angle at position positionOffset + r % T.
     */
    public static void ropeRotate(KernelContext c, FloatArray h, IntArray ih, IntArray a, FloatArray f, int b) {
        int xo = a.get(b), xRow = a.get(b + 1), yo = a.get(b + 2), yRow = a.get(b + 3), co = a.get(b + 4), so = a.get(b + 5);
        int t = a.get(b + 6), heads = a.get(b + 7), d = a.get(b + 8), offset = a.get(b + 9);
        int inverse = a.get(b + 10), accumulate = a.get(b + 11), pairs = a.get(b + 12);
        int half = d / 2;
        for (int i = c.globalIdx; i < pairs; i += c.globalGroupSizeX) {
            int j = i % half, head = (i / half) % heads, r = i / (half * heads);
            int pos = offset + r % t;
            float cs = h.get(co + pos * half + j), sn = h.get(so + pos * half + j);
            if (inverse == 1) sn = -sn;
            int xh = xo + r * xRow + head * d, yh = yo + r * yRow + head * d;
            float x1 = h.get(xh + j), x2 = h.get(xh + half + j);
            float y1 = x1 * cs + x2 * sn, y2 = x2 * cs - x1 * sn;
            if (accumulate == 1) {
                y1 += h.get(yh + j);
                y2 += h.get(yh + half + j);
            }
            h.set(yh + j, y1);
            h.set(yh + half + j, y2);
        }
    }
}
