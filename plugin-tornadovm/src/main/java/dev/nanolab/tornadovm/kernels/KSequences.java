package dev.nanolab.tornadovm.kernels;

import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.math.TornadoMath;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/** The dilated causal convolution (direct, a thread per output) and the LSTM cell. */
public final class KSequences {
    private KSequences() {}

    /**
     * y[b,t,o] = bias[o] + Σ_{k,c} w[o,c,k]·x[b, t − (K−1−k)·dil, c]. a: [xOff, wOff, biasOff, yOff, batch, time, cin,
     * cout, kernel, dilation, hasBias]
     */
    public static void conv1d(KernelContext c, FloatArray h, IntArray ih, IntArray a, FloatArray f, int b) {
        int xo = a.get(b), wo = a.get(b + 1), bo = a.get(b + 2), yo = a.get(b + 3), batch = a.get(b + 4), time = a.get(b + 5);
        int cin = a.get(b + 6), cout = a.get(b + 7), kern = a.get(b + 8), dil = a.get(b + 9), hasBias = a.get(b + 10);
        int total = batch * time * cout;
        for (int e = c.globalIdx; e < total; e += c.globalGroupSizeX) {
            int o = e % cout;
            int bt = e / cout;
            int bb = bt / time;
            int t = bt - bb * time;
            float s = 0f;
            for (int k = 0; k < kern; k++) {
                int ts = t - (kern - 1 - k) * dil;
                if (ts >= 0) {
                    int xr = xo + (bb * time + ts) * cin;
                    for (int ci = 0; ci < cin; ci++) s += h.get(wo + (o * cin + ci) * kern + k) * h.get(xr + ci);
                }
            }
            if (hasBias == 1) s = h.get(bo + o) + s;
            h.set(yo + e, s);
        }
    }

    /** dx[b,t,c] (+)= Σ_{k,o} w[o,c,k]·dy[b, t + (K−1−k)·dil, o]. a: [wOff, dyOff, dxOff, batch, time, cin, cout, kernel, dilation, accumulate] */
    public static void conv1dBackwardDx(KernelContext c, FloatArray h, IntArray ih, IntArray a, FloatArray f, int b) {
        int wo = a.get(b), dyo = a.get(b + 1), dxo = a.get(b + 2), batch = a.get(b + 3), time = a.get(b + 4);
        int cin = a.get(b + 5), cout = a.get(b + 6), kern = a.get(b + 7), dil = a.get(b + 8), acc = a.get(b + 9);
        int total = batch * time * cin;
        for (int e = c.globalIdx; e < total; e += c.globalGroupSizeX) {
            int ci = e % cin;
            int bt = e / cin;
            int bb = bt / time;
            int t = bt - bb * time;
            float s = 0f;
            for (int k = 0; k < kern; k++) {
                int td = t + (kern - 1 - k) * dil;
                if (td < time) {
                    int dr = dyo + (bb * time + td) * cout;
                    for (int o = 0; o < cout; o++) s += h.get(wo + (o * cin + ci) * kern + k) * h.get(dr + o);
                }
            }
            if (acc == 1) s = h.get(dxo + e) + s;
            h.set(dxo + e, s);
        }
    }

    /** dw[o,c,k] (+)= Σ_{b,t} dy[b,t,o]·x[b, t − shift_k, c]. a: [xOff, dyOff, dwOff, batch, time, cin, cout, kernel, dilation, accumulate] */
    public static void conv1dBackwardDw(KernelContext c, FloatArray h, IntArray ih, IntArray a, FloatArray f, int b) {
        int xo = a.get(b), dyo = a.get(b + 1), dwo = a.get(b + 2), batch = a.get(b + 3), time = a.get(b + 4);
        int cin = a.get(b + 5), cout = a.get(b + 6), kern = a.get(b + 7), dil = a.get(b + 8), acc = a.get(b + 9);
        int total = cout * cin * kern;
        for (int e = c.globalIdx; e < total; e += c.globalGroupSizeX) {
            int k = e % kern;
            int oc = e / kern;
            int o = oc / cin;
            int ci = oc - o * cin;
            int shift = (kern - 1 - k) * dil;
            float s = 0f;
            for (int bb = 0; bb < batch; bb++) {
                for (int t = shift; t < time; t++) s += h.get(dyo + (bb * time + t) * cout + o) * h.get(xo + (bb * time + t - shift) * cin + ci);
            }
            if (acc == 1) s = h.get(dwo + e) + s;
            h.set(dwo + e, s);
        }
    }

    static float sigmoid(float x) {
        return 1f / (1f + TornadoMath.exp(-x));
    }

    /** c = σ(f)·cPrev + σ(i)·tanh(g); h = σ(o)·tanh(c). a: [gatesOff, cPrevOff, cOff, hOff, batch, hidden] */
    public static void lstmCell(KernelContext c, FloatArray h, IntArray ih, IntArray a, FloatArray f, int b) {
        int go = a.get(b), cpo = a.get(b + 1), co = a.get(b + 2), ho = a.get(b + 3), batch = a.get(b + 4), hid = a.get(b + 5);
        int total = batch * hid;
        for (int e = c.globalIdx; e < total; e += c.globalGroupSizeX) {
            int bb = e / hid;
            int j = e - bb * hid;
            int g = go + bb * 4 * hid;
            float ig = sigmoid(h.get(g + j)), fg = sigmoid(h.get(g + hid + j));
            float cand = TornadoMath.tanh(h.get(g + 2 * hid + j)), og = sigmoid(h.get(g + 3 * hid + j));
            float cj = fg * h.get(cpo + e) + ig * cand;
            h.set(co + e, cj);
            h.set(ho + e, og * TornadoMath.tanh(cj));
        }
    }

    /**
     * The LSTM cell's backward. a: [gatesOff, cPrevOff, cOff, dhOff, dcOff, dGatesOff, dcPrevOff, batch, hidden, hasDh,
     * hasDc, hasDcPrev, accumulateGates, accumulateCPrev]
     */
    public static void lstmCellBackward(KernelContext c, FloatArray h, IntArray ih, IntArray a, FloatArray f, int b) {
        int go = a.get(b), cpo = a.get(b + 1), co = a.get(b + 2), dho = a.get(b + 3), dco = a.get(b + 4), dgo = a.get(b + 5);
        int dcpo = a.get(b + 6), batch = a.get(b + 7), hid = a.get(b + 8), hasDh = a.get(b + 9), hasDc = a.get(b + 10);
        int hasDcp = a.get(b + 11), accG = a.get(b + 12), accC = a.get(b + 13);
        int total = batch * hid;
        for (int e = c.globalIdx; e < total; e += c.globalGroupSizeX) {
            int bb = e / hid;
            int j = e - bb * hid;
            int g = go + bb * 4 * hid;
            int dg = dgo + bb * 4 * hid;
            float ig = sigmoid(h.get(g + j)), fg = sigmoid(h.get(g + hid + j));
            float cand = TornadoMath.tanh(h.get(g + 2 * hid + j)), og = sigmoid(h.get(g + 3 * hid + j));
            float tc = TornadoMath.tanh(h.get(co + e));
            float dhj = hasDh == 1 ? h.get(dho + e) : 0f;
            float dct = (hasDc == 1 ? h.get(dco + e) : 0f) + dhj * og * (1f - tc * tc);
            float di = dct * cand * ig * (1f - ig);
            float df = dct * h.get(cpo + e) * fg * (1f - fg);
            float dgc = dct * ig * (1f - cand * cand);
            float dout = dhj * tc * og * (1f - og);
            if (accG == 1) {
                di = h.get(dg + j) + di;
                df = h.get(dg + hid + j) + df;
                dgc = h.get(dg + 2 * hid + j) + dgc;
                dout = h.get(dg + 3 * hid + j) + dout;
            }
            h.set(dg + j, di);
            h.set(dg + hid + j, df);
            h.set(dg + 2 * hid + j, dgc);
            h.set(dg + 3 * hid + j, dout);
            if (hasDcp == 1) {
                float v = dct * fg;
                if (accC == 1) v = h.get(dcpo + e) + v;
                h.set(dcpo + e, v);
            }
        }
    }
}
