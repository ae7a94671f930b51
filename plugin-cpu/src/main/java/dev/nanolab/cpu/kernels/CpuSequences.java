package dev.nanolab.cpu.kernels;

import static dev.nanolab.cpu.memory.CpuStorage.floats;
import static dev.nanolab.cpu.memory.CpuStorage.floatsOrNull;

import dev.nanolab.api.backend.Sequences;
import dev.nanolab.api.backend.ConvShape;
import dev.nanolab.api.backend.LayerGradients;
import dev.nanolab.api.backend.LstmCellGradients;
import dev.nanolab.api.backend.Storage;
import dev.nanolab.cpu.gemm.Sgemm;
import dev.nanolab.cpu.parallel.WorkerPool;
import java.util.Arrays;

/**
 * The dilated causal convolution as one GEMM per tap (each tap multiplies the time-shifted input rows by that tap's
 * Cout×Cin weight slice), and the fused LSTM cell.
 */
public final class CpuSequences implements Sequences {
    private final WorkerPool pool;

    public CpuSequences(WorkerPool pool) {
        this.pool = pool;
    }

    /** weight (Cout, Cin, K) → tap k as a contiguous (Cout, Cin) matrix. */
    private static float[] tap(float[] w, int cout, int cin, int kernel, int k, float[] dst) {
        for (int o = 0; o < cout; o++)
            for (int c = 0; c < cin; c++) dst[o * cin + c] = w[(o * cin + c) * kernel + k];
        return dst;
    }

    @Override
    public void causalConv1d(Storage xs, Storage ws, Storage bs, Storage ys, ConvShape shape) {
        float[] x = floats(xs), w = floats(ws), bias = floatsOrNull(bs), y = floats(ys);
        int batch = shape.batch(), time = shape.time(), cin = shape.inChannels(), cout = shape.outChannels();
        int kernel = shape.kernel(), dilation = shape.dilation();
        for (int r = 0; r < batch * time; r++) {
            if (bias != null) System.arraycopy(bias, 0, y, r * cout, cout);
            else Arrays.fill(y, r * cout, (r + 1) * cout, 0f);
        }
        float[] wk = new float[cout * cin];
        for (int k = 0; k < kernel; k++) {
            int shift = (kernel - 1 - k) * dilation;
            if (shift >= time) continue;
            tap(w, cout, cin, kernel, k, wk);
            for (int b = 0; b < batch; b++)
                Sgemm.sgemm(pool, false, true, time - shift, cout, cin, 1f, x, b * time * cin, cin, wk, 0, cin, true, y,
                        (b * time + shift) * cout, cout);
        }
    }

    @Override
    public void causalConv1dBackward(Storage xs, Storage ws, Storage dys, ConvShape shape, LayerGradients grads) {
        float[] x = floats(xs), w = floats(ws), dy = floats(dys), dx = floats(grads.dx());
        float[] dw = floatsOrNull(grads.dWeight()), db = floatsOrNull(grads.dBias());
        int batch = shape.batch(), time = shape.time(), cin = shape.inChannels(), cout = shape.outChannels();
        int kernel = shape.kernel(), dilation = shape.dilation();
        boolean accumulateDx = grads.accumulateDx(), accumulateParams = grads.accumulateParams();
        if (!accumulateDx) Arrays.fill(dx, 0, batch * time * cin, 0f);
        float[] wk = new float[cout * cin], dwk = new float[cout * cin];
        if (dw != null && !accumulateParams) Arrays.fill(dw, 0, cout * cin * kernel, 0f);
        for (int k = 0; k < kernel; k++) {
            int shift = (kernel - 1 - k) * dilation;
            if (shift >= time) continue;
            tap(w, cout, cin, kernel, k, wk);
            for (int b = 0; b < batch; b++) {
                // dx[b, t − shift] += dy[b, t] · W_k
                Sgemm.sgemm(pool, false, false, time - shift, cin, cout, 1f, dy, (b * time + shift) * cout, cout, wk, 0,
                        cin, true, dx, b * time * cin, cin);
            }
            if (dw != null) {
                Arrays.fill(dwk, 0f);
                for (int b = 0; b < batch; b++)
                    // dW_k += dy[b, shift:]ᵀ · x[b, :T−shift]
                    Sgemm.sgemm(pool, true, false, cout, cin, time - shift, 1f, dy, (b * time + shift) * cout, cout, x,
                            b * time * cin, cin, true, dwk, 0, cin);
                for (int o = 0; o < cout; o++)
                    for (int c = 0; c < cin; c++) dw[(o * cin + c) * kernel + k] += dwk[o * cin + c];
            }
        }
        if (db != null) {
            if (!accumulateParams) Arrays.fill(db, 0, cout, 0f);
            for (int r = 0; r < batch * time; r++) Vec.axpy(1f, dy, r * cout, db, 0, cout);
        }
    }

    private static float sigmoid(float x) {
        return 1f / (VecMath.exp(-x) + 1f);
    }

    @Override
    public void lstmCell(Storage gs, Storage cps, Storage cs, Storage hs, int batch, int hidden) {
        float[] g = floats(gs), cPrev = floats(cps), c = floats(cs), h = floats(hs);
        pool.parallelFor(batch, 40L * hidden, CpuPointwise.PARALLEL_MIN, (from, to) -> {
            for (int b = from; b < to; b++) {
                int go = b * 4 * hidden, o = b * hidden;
                for (int j = 0; j < hidden; j++) {
                    float i = sigmoid(g[go + j]), f = sigmoid(g[go + hidden + j]);
                    float cand = VecMath.tanh(g[go + 2 * hidden + j]), out = sigmoid(g[go + 3 * hidden + j]);
                    float cj = f * cPrev[o + j] + i * cand;
                    c[o + j] = cj;
                    h[o + j] = out * VecMath.tanh(cj);
                }
            }
        });
    }

    @Override
    public void lstmCellBackward(Storage gs, Storage cps, Storage cs, Storage dhs, Storage dcs, LstmCellGradients grads,
                                 int batch, int hidden) {
        float[] g = floats(gs), cPrev = floats(cps), c = floats(cs), dh = floatsOrNull(dhs), dc = floatsOrNull(dcs);
        float[] dg = floats(grads.dGates()), dcPrev = floatsOrNull(grads.dcPrev());
        boolean accumulateGates = grads.accumulateGates(), accumulateCPrev = grads.accumulateCPrev();
        pool.parallelFor(batch, 60L * hidden, CpuPointwise.PARALLEL_MIN, (from, to) -> {
            for (int b = from; b < to; b++) {
                int go = b * 4 * hidden, o = b * hidden;
                for (int j = 0; j < hidden; j++) {
                    float i = sigmoid(g[go + j]), f = sigmoid(g[go + hidden + j]);
                    float cand = VecMath.tanh(g[go + 2 * hidden + j]), out = sigmoid(g[go + 3 * hidden + j]);
                    float tc = VecMath.tanh(c[o + j]);
                    float dhj = dh == null ? 0f : dh[o + j];
                    float dct = (dc == null ? 0f : dc[o + j]) + dhj * out * (1f - tc * tc);
                    float di = dct * cand * i * (1f - i);
                    float df = dct * cPrev[o + j] * f * (1f - f);
                    float dgc = dct * i * (1f - cand * cand);
                    float dout = dhj * tc * out * (1f - out);
                    set(dg, go + j, di, accumulateGates);
                    set(dg, go + hidden + j, df, accumulateGates);
                    set(dg, go + 2 * hidden + j, dgc, accumulateGates);
                    set(dg, go + 3 * hidden + j, dout, accumulateGates);
                    if (dcPrev != null) set(dcPrev, o + j, dct * f, accumulateCPrev);
                }
            }
        });
    }

    private static void set(float[] a, int i, float v, boolean accumulate) {
        a[i] = accumulate ? a[i] + v : v;
    }
}
