package dev.nanolab.tornadovm.kernels;

import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * The device's float32 multiply-add rate: every thread runs 8 independent chains of c = c·a + b in registers (TornadoVM's
 * OpenCL code generator turns the pattern into {@code fma}), no memory traffic but one store per thread at the end.
 */
public final class KPeak {
    private KPeak() {}

    /** a: [outOff, iterations, threads]; 16 FLOP per thread per iteration. */
    public static void peakFma(KernelContext c, FloatArray h, IntArray ih, IntArray a, FloatArray f, int b) {
        int out = a.get(b), iters = a.get(b + 1), threads = a.get(b + 2);
        for (int t = c.globalIdx; t < threads; t += c.globalGroupSizeX) {
            float x = 0.999f + t * 1e-9f, y = 1e-7f;
            float c0 = t, c1 = c0 + 1f, c2 = c0 + 2f, c3 = c0 + 3f, c4 = c0 + 4f, c5 = c0 + 5f, c6 = c0 + 6f, c7 = c0 + 7f;
            for (int i = 0; i < iters; i++) {
                c0 = c0 * x + y;
                c1 = c1 * x + y;
                c2 = c2 * x + y;
                c3 = c3 * x + y;
                c4 = c4 * x + y;
                c5 = c5 * x + y;
                c6 = c6 * x + y;
                c7 = c7 * x + y;
            }
            h.set(out + t, c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7);
        }
    }
}
