package dev.nanolab.tornadovm.kernels;

import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.math.TornadoMath;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/** Fused optimizer updates and the pieces of gradient clipping. Hyper-parameters are read from device memory. */
public final class KOptim {
    /** Elements per partial of the sum of squares. */
    public static final int CHUNK = 4096;
    // OptimizerKernels' AdamW layout
    static final int LR = 0, BETA1 = 1, BETA2 = 2, EPS = 3, WEIGHT_DECAY = 4, BC1 = 5, BC2 = 6, GRAD_SCALE = 7;

    private KOptim() {}

    /** AdamW, as the CPU backend computes it. a: [pOff, gOff, mOff, vOff, n, hyperOff] */
    public static void adamw(KernelContext c, FloatArray h, IntArray ih, IntArray a, FloatArray f, int b) {
        int po = a.get(b), go = a.get(b + 1), mo = a.get(b + 2), vo = a.get(b + 3), n = a.get(b + 4), ho = a.get(b + 5);
        float lr = h.get(ho + LR), b1 = h.get(ho + BETA1), b2 = h.get(ho + BETA2), eps = h.get(ho + EPS);
        float wd = h.get(ho + WEIGHT_DECAY), bc1 = h.get(ho + BC1), bc2 = h.get(ho + BC2), gs = h.get(ho + GRAD_SCALE);
        float stepScale = lr / bc1, vScale = 1f / bc2, decay = 1f - lr * wd;
        for (int i = c.globalIdx; i < n; i += c.globalGroupSizeX) {
            float g = h.get(go + i) * gs;
            float m = b1 * h.get(mo + i) + (1f - b1) * g;
            float v = b2 * h.get(vo + i) + (1f - b2) * g * g;
            h.set(mo + i, m);
            h.set(vo + i, v);
            h.set(po + i, h.get(po + i) * decay - stepScale * m / (TornadoMath.sqrt(v * vScale) + eps));
        }
    }

    /** part[g] = Σ x² over chunk g (a work-group per chunk, tree in local memory). a: [xOff, n, partOff] */
    public static void sumOfSquaresPartials(KernelContext c, FloatArray h, IntArray ih, IntArray a, FloatArray f, int b) {
        int xo = a.get(b), n = a.get(b + 1), po = a.get(b + 2);
        float[] red = c.allocateFloatLocalArray(128);
        int lid = c.localIdx;
        int groups = c.globalGroupSizeX / 128;
        int chunks = (n + 4095) / 4096;
        for (int g = c.groupIdx; g < chunks; g += groups) {
            int end = Math.min(n, (g + 1) * 4096);
            float s = 0f;
            for (int i = g * 4096 + lid; i < end; i += 128) {
                float x = h.get(xo + i);
                s += x * x;
            }
            red[lid] = s;
            for (int st = 64; st > 0; st /= 2) {
                c.localBarrier();
                if (lid < st) red[lid] = red[lid] + red[lid + st];
            }
            c.localBarrier();
            if (lid == 0) h.set(po + g, red[0]);
            c.localBarrier();
        }
    }

    /** One work-group: out (+)= Σ part[g], in double. a: [partOff, chunks, outOff, accumulate] */
    public static void sumOfSquaresFinal(KernelContext c, FloatArray h, IntArray ih, IntArray a, FloatArray f, int b) {
        int po = a.get(b), chunks = a.get(b + 1), oo = a.get(b + 2), acc = a.get(b + 3);
        double[] red = c.allocateDoubleLocalArray(128);
        int lid = c.localIdx;
        if (c.groupIdx == 0) {
            double s = 0.0;
            for (int g = lid; g < chunks; g += 128) s += h.get(po + g);
            red[lid] = s;
            for (int st = 64; st > 0; st /= 2) {
                c.localBarrier();
                if (lid < st) red[lid] = red[lid] + red[lid + st];
            }
            c.localBarrier();
            if (lid == 0) {
                double r = red[0];
                if (acc == 1) r = r + h.get(oo);
                h.set(oo, (float) r);
            }
        }
    }

    /** hyper[scale] = maxNorm ≤ 0 ? 1 : min(1, maxNorm/(√sumSq + 1e-6)). a: [sumOff, scaleOff] f: [maxNorm] */
    public static void clipScale(KernelContext c, FloatArray h, IntArray ih, IntArray a, FloatArray f, int b) {
        int so = a.get(b), sco = a.get(b + 1);
        float maxNorm = f.get(b);
        if (c.globalIdx == 0) {
            float norm = TornadoMath.sqrt(h.get(so));
            float s = 1f;
            if (maxNorm > 0f) s = TornadoMath.min(1f, maxNorm / (norm + 1e-6f));
            h.set(sco, s);
        }
    }
}
