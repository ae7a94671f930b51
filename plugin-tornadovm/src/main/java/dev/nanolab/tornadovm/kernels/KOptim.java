package dev.nanolab.tornadovm.kernels;

import static dev.nanolab.api.backend.ext.FusedOptimizerKernels.*;

import static dev.nanolab.tornadovm.kernels.KMemory.WG;

import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.math.TornadoMath;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * Fused optimizer updates and the pieces of gradient clipping. Hyper-parameters are read from device memory, laid out
 * as {@link dev.nanolab.api.backend.ext.FusedOptimizerKernels} declares (its constants are compile-time constants, so the kernels'
 * bytecode holds plain numbers).
 */
public final class KOptim {
    /** Elements per partial of the sum of squares. */
    public static final int CHUNK = 4096;

    private KOptim() {}

    /** AdamW, as the CPU backend computes it. a: [pOff, gOff, mOff, vOff, n, hyperOff] */
    public static void adamw(KernelContext c, FloatArray h, IntArray ih, IntArray a, FloatArray f, int b) {
        int po = a.get(b), go = a.get(b + 1), mo = a.get(b + 2), vo = a.get(b + 3), n = a.get(b + 4), ho = a.get(b + 5);
        float lr = h.get(ho + LR), b1 = h.get(ho + BETA1), b2 = h.get(ho + BETA2), eps = h.get(ho + EPS);
        float wd = h.get(ho + WEIGHT_DECAY), bc1 = h.get(ho + BIAS_CORRECTION1), bc2 = h.get(ho + BIAS_CORRECTION2), gs = h.get(ho + GRAD_SCALE);
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
        float[] red = c.allocateFloatLocalArray(WG);
        int lid = c.localIdx;
        int groups = c.globalGroupSizeX / WG;
        int chunks = (n + (CHUNK - 1)) / CHUNK;
        for (int g = c.groupIdx; g < chunks; g += groups) {
            int end = Math.min(n, (g + 1) * CHUNK);
            float s = 0f;
            for (int i = g * CHUNK + lid; i < end; i += WG) {
                float x = h.get(xo + i);
                s += x * x;
            }
            float total = KNorms.groupSum(c, red, s);
            if (lid == 0) h.set(po + g, total);
        }
    }

    /** One work-group: out (+)= Σ part[g], in double. a: [partOff, chunks, outOff, accumulate] */
    public static void sumOfSquaresFinal(KernelContext c, FloatArray h, IntArray ih, IntArray a, FloatArray f, int b) {
        int po = a.get(b), chunks = a.get(b + 1), oo = a.get(b + 2), acc = a.get(b + 3);
        double[] red = c.allocateDoubleLocalArray(WG);
        int lid = c.localIdx;
        if (c.groupIdx == 0) {
            double s = 0.0;
            for (int g = lid; g < chunks; g += WG) s += h.get(po + g);
            red[lid] = s;
            for (int st = WG / 2; st > 0; st /= 2) {
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

    /** torch.sign: 1, −1 or 0; NaN stays NaN. */
    static float sign(float c) {
        float r = c;
        if (c > 0f) r = 1f;
        else if (c < 0f) r = -1f;
        else if (c == c) r = 0f;
        return r;
    }

    /** SGD (momentum, Nesterov, L2 weight decay) as the CPU backend. a: [pOff, gOff, bufOff, hasBuf, n, hyperOff] */
    public static void sgd(KernelContext c, FloatArray h, IntArray ih, IntArray a, FloatArray f, int b) {
        int po = a.get(b), go = a.get(b + 1), bo = a.get(b + 2), hasBuf = a.get(b + 3), n = a.get(b + 4), ho = a.get(b + 5);
        float lr = h.get(ho + SGD_LR), momentum = h.get(ho + SGD_MOMENTUM), bufDecay = h.get(ho + SGD_BUFFER_DECAY);
        float bufGrad = h.get(ho + SGD_BUFFER_GRAD), nesterov = h.get(ho + SGD_NESTEROV), wd = h.get(ho + SGD_WEIGHT_DECAY);
        float scale = h.get(ho + SGD_GRAD_SCALE);
        for (int i = c.globalIdx; i < n; i += c.globalGroupSizeX) {
            float p = h.get(po + i);
            float d = h.get(go + i) * scale + p * wd;
            if (hasBuf == 1) {
                float bv = h.get(bo + i) * bufDecay + d * bufGrad;
                h.set(bo + i, bv);
                if (nesterov != 0f) d = d + bv * momentum;
                else d = bv;
            }
            h.set(po + i, p - d * lr);
        }
    }

    /** RMSprop (centered, momentum, L2 weight decay). a: [pOff, gOff, sqOff, gaOff, hasGa, bufOff, hasBuf, n, hyperOff] */
    public static void rmsprop(KernelContext c, FloatArray h, IntArray ih, IntArray a, FloatArray f, int b) {
        int po = a.get(b), go = a.get(b + 1), so = a.get(b + 2), gao = a.get(b + 3), hasGa = a.get(b + 4);
        int bo = a.get(b + 5), hasBuf = a.get(b + 6), n = a.get(b + 7), ho = a.get(b + 8);
        float lr = h.get(ho + RMSPROP_LR), alpha = h.get(ho + RMSPROP_ALPHA), eps = h.get(ho + RMSPROP_EPS);
        float wd = h.get(ho + RMSPROP_WEIGHT_DECAY), momentum = h.get(ho + RMSPROP_MOMENTUM), scale = h.get(ho + RMSPROP_GRAD_SCALE);
        for (int i = c.globalIdx; i < n; i += c.globalGroupSizeX) {
            float p = h.get(po + i);
            float d = h.get(go + i) * scale + p * wd;
            float sq = h.get(so + i) * alpha + d * d * (1f - alpha);
            h.set(so + i, sq);
            float variance = sq;
            if (hasGa == 1) {
                float av = h.get(gao + i) * alpha + d * (1f - alpha);
                h.set(gao + i, av);
                variance = sq - av * av;
            }
            float step = d / (TornadoMath.sqrt(variance) + eps);
            if (hasBuf == 1) {
                step = h.get(bo + i) * momentum + step;
                h.set(bo + i, step);
            }
            h.set(po + i, p - step * lr);
        }
    }

    /** Adam with L2 weight decay in the gradient (AdamW's hyper layout). a: [pOff, gOff, mOff, vOff, n, hyperOff] */
    public static void adam(KernelContext c, FloatArray h, IntArray ih, IntArray a, FloatArray f, int b) {
        int po = a.get(b), go = a.get(b + 1), mo = a.get(b + 2), vo = a.get(b + 3), n = a.get(b + 4), ho = a.get(b + 5);
        float lr = h.get(ho + LR), b1 = h.get(ho + BETA1), b2 = h.get(ho + BETA2), eps = h.get(ho + EPS);
        float wd = h.get(ho + WEIGHT_DECAY), bc1 = h.get(ho + BIAS_CORRECTION1), bc2 = h.get(ho + BIAS_CORRECTION2), scale = h.get(ho + GRAD_SCALE);
        float stepSize = lr / bc1, invSqrtBc2 = 1f / TornadoMath.sqrt(bc2);
        for (int i = c.globalIdx; i < n; i += c.globalGroupSizeX) {
            float p = h.get(po + i);
            float d = h.get(go + i) * scale + p * wd;
            float m = h.get(mo + i) * b1 + d * (1f - b1);
            float v = h.get(vo + i) * b2 + d * d * (1f - b2);
            h.set(mo + i, m);
            h.set(vo + i, v);
            h.set(po + i, p - m * stepSize / (TornadoMath.sqrt(v) * invSqrtBc2 + eps));
        }
    }

    /** Lion. a: [pOff, gOff, mOff, n, hyperOff] */
    public static void lion(KernelContext c, FloatArray h, IntArray ih, IntArray a, FloatArray f, int b) {
        int po = a.get(b), go = a.get(b + 1), mo = a.get(b + 2), n = a.get(b + 3), ho = a.get(b + 4);
        float lr = h.get(ho + LION_LR), b1 = h.get(ho + LION_BETA1), b2 = h.get(ho + LION_BETA2);
        float decay = 1f - lr * h.get(ho + LION_WEIGHT_DECAY), scale = h.get(ho + LION_GRAD_SCALE);
        for (int i = c.globalIdx; i < n; i += c.globalGroupSizeX) {
            float g = h.get(go + i) * scale;
            float m = h.get(mo + i);
            float cc = m * b1 + g * (1f - b1);
            h.set(po + i, h.get(po + i) * decay - sign(cc) * lr);
            h.set(mo + i, m * b2 + g * (1f - b2));
        }
    }

    /** Muon's momentum into the update buffer. a: [gOff, bufOff, updateOff, n, hyperOff] */
    public static void muonMomentum(KernelContext c, FloatArray h, IntArray ih, IntArray a, FloatArray f, int b) {
        int go = a.get(b), bo = a.get(b + 1), uo = a.get(b + 2), n = a.get(b + 3), ho = a.get(b + 4);
        float mu = h.get(ho + MUON_MOMENTUM), nesterov = h.get(ho + MUON_NESTEROV), scale = h.get(ho + MUON_GRAD_SCALE);
        for (int i = c.globalIdx; i < n; i += c.globalGroupSizeX) {
            float g = h.get(go + i) * scale;
            float bv = h.get(bo + i) * mu + g * (1f - mu);
            h.set(bo + i, bv);
            float u = bv;
            if (nesterov != 0f) u = g * (1f - mu) + bv * mu;
            h.set(uo + i, u);
        }
    }

    /** x /= √sumSq + eps. a: [xOff, n, hyperOff] */
    public static void muonNormalize(KernelContext c, FloatArray h, IntArray ih, IntArray a, FloatArray f, int b) {
        int xo = a.get(b), n = a.get(b + 1), ho = a.get(b + 2);
        float inv = 1f / (TornadoMath.sqrt(h.get(ho + MUON_SUM_OF_SQUARES)) + h.get(ho + MUON_EPS));
        for (int i = c.globalIdx; i < n; i += c.globalGroupSizeX) h.set(xo + i, h.get(xo + i) * inv);
    }

    /** p = p·(1 − lr·wd) − lr·scale·O. a: [pOff, oOff, n, hyperOff] */
    public static void muonUpdate(KernelContext c, FloatArray h, IntArray ih, IntArray a, FloatArray f, int b) {
        int po = a.get(b), oo = a.get(b + 1), n = a.get(b + 2), ho = a.get(b + 3);
        float lr = h.get(ho + MUON_LR);
        float decay = 1f - lr * h.get(ho + MUON_WEIGHT_DECAY), step = lr * h.get(ho + MUON_UPDATE_SCALE);
        for (int i = c.globalIdx; i < n; i += c.globalGroupSizeX) h.set(po + i, h.get(po + i) * decay - h.get(oo + i) * step);
    }
}
