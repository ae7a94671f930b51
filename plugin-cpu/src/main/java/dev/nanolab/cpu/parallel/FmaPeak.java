package dev.nanolab.cpu.parallel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The CPU's float32 peak, measured: every worker runs independent chains of vector fused multiply-adds on registers
 * (no memory traffic) for a fraction of a second, after a short warm-up that lets the JIT compile the loop. This is
 * the ceiling MFU is quoted against, like a GPU's specification sheet figure.
 */
public final class FmaPeak {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int CHAINS = 12, INNER = 1000;

    private FmaPeak() {}

    /** FLOP/s over all workers of the pool. */
    public static double measure(WorkerPool pool, long millis) {
        double[] perWorker = new double[pool.threads()];
        pool.run((w, workers) -> perWorker[w] = single(millis));
        double sum = 0;
        for (double d : perWorker) sum += d;
        return sum;
    }

    /**
     * One thread's FLOP/s: the best of many short timed rounds, measured until the best has not improved for
     * {@code millis} (at most 20 × millis). Waiting for the best to settle, rather than for a fixed time, matters on a
     * loaded machine: there the JIT can take longer than any fixed warm-up to compile the loop, and a figure from the
     * interpreter would put MFU at thousands of percent.
     */
    static double single(long millis) {
        float sink = 0;
        double best = 0;
        long start = System.nanoTime(), lastGain = start, settle = millis * 1_000_000L, cap = start + 20 * settle;
        while (true) {
            long t0 = System.nanoTime();
            sink += chains(INNER * 10);
            long t1 = System.nanoTime();
            double rate = 2.0 * CHAINS * S.length() * INNER * 10 / ((t1 - t0) / 1e9);
            if (rate > best * 1.01) lastGain = t1;
            best = Math.max(best, rate);
            if (t1 - lastGain > settle || t1 > cap) break;
        }
        if (sink == 42f) System.out.print(""); // keep the result alive
        return best;
    }

    private static float chains(int n) {
        FloatVector a = FloatVector.broadcast(S, 0.999f), b = FloatVector.broadcast(S, 1e-7f);
        FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0, c8 = c0, c9 = c0, c10 = c0, c11 = c0;
        for (int i = 0; i < n; i++) {
            c0 = c0.fma(a, b); c1 = c1.fma(a, b); c2 = c2.fma(a, b); c3 = c3.fma(a, b);
            c4 = c4.fma(a, b); c5 = c5.fma(a, b); c6 = c6.fma(a, b); c7 = c7.fma(a, b);
            c8 = c8.fma(a, b); c9 = c9.fma(a, b); c10 = c10.fma(a, b); c11 = c11.fma(a, b);
        }
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11).lane(0);
    }
}
