package dev.nanolab.tornadovm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolab.api.backend.Backend;
import dev.nanolab.api.backend.DType;
import dev.nanolab.api.backend.Storage;
import dev.nanolab.cpu.CpuBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BiConsumer;

/**
 * The CPU reference backend and the TornadoVM backend side by side: the same values written to both, the same kernel
 * run on both, the results compared. Both poison new allocations (NaN, Integer.MIN_VALUE), so an output element a
 * kernel fails to write shows up as NaN.
 */
final class Pair implements AutoCloseable {
    final CpuBackend cpu = new CpuBackend(2, true);
    final TornadoBackend tvm = TornadoBackend.forTests(true);
    final Random rng = new Random(System.nanoTime());
    private final List<Storage[]> live = new ArrayList<>();

    /** A storage on each backend: [cpu, tornadovm]. */
    record S(Storage c, Storage t, int size) {}

    S floats(float[] v) {
        Storage c = cpu.memory().allocate(DType.F32, v.length), t = tvm.memory().allocate(DType.F32, v.length);
        cpu.memory().write(c, 0, v, 0, v.length);
        tvm.memory().write(t, 0, v, 0, v.length);
        live.add(new Storage[] {c, t});
        return new S(c, t, v.length);
    }

    S ints(int[] v) {
        Storage c = cpu.memory().allocate(DType.I32, v.length), t = tvm.memory().allocate(DType.I32, v.length);
        cpu.memory().write(c, 0, v, 0, v.length);
        tvm.memory().write(t, 0, v, 0, v.length);
        live.add(new Storage[] {c, t});
        return new S(c, t, v.length);
    }

    /** Normal(0, 1) values. */
    S randn(int n) {
        return floats(randnArray(n));
    }

    float[] randnArray(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) rng.nextGaussian();
        return v;
    }

    S uniform(int n, float lo, float hi) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = lo + (hi - lo) * rng.nextFloat();
        return floats(v);
    }

    /** An output: poisoned on both backends (fresh allocation). */
    S out(int n) {
        Storage c = cpu.memory().allocate(DType.F32, n), t = tvm.memory().allocate(DType.F32, n);
        live.add(new Storage[] {c, t});
        return new S(c, t, n);
    }

    /** An output for an accumulating kernel: the same random values on both. */
    S acc(int n) {
        return randn(n);
    }

    float[] read(Backend be, Storage s, int n) {
        float[] v = new float[n];
        be.memory().read(s, 0, v, 0, n);
        return v;
    }

    int[] readInts(Backend be, Storage s, int n) {
        int[] v = new int[n];
        be.memory().read(s, 0, v, 0, n);
        return v;
    }

    /** Runs {@code op} on (cpu storages…) and on (tornadovm storages…): the same call, with S values picked by side. */
    void run(BiConsumer<Backend, Side> op) {
        op.accept(cpu, Side.CPU);
        op.accept(tvm, Side.TVM);
    }

    enum Side {
        CPU, TVM;

        Storage of(S s) {
            return s == null ? null : this == CPU ? s.c() : s.t();
        }
    }

    /**
     * Every element of the TornadoVM output is written (not NaN where the CPU's is not) and within {@code tol} of the
     * CPU's, relative to max(|expected|, 1).
     */
    void same(String what, S s, double tol) {
        float[] want = read(cpu, s.c(), s.size()), got = read(tvm, s.t(), s.size());
        double worst = 0;
        int at = -1;
        for (int i = 0; i < want.length; i++) {
            if (Float.isNaN(want[i])) {
                assertThat(got[i]).as("%s[%d]: reference is NaN", what, i).isNaN();
                continue;
            }
            assertThat(got[i]).as("%s[%d] was not written (or is NaN); expected %s", what, i, want[i]).isNotNaN();
            if (Float.isInfinite(want[i])) {
                assertThat(got[i]).as("%s[%d]", what, i).isEqualTo(want[i]);
                continue;
            }
            double err = Math.abs(got[i] - want[i]) / Math.max(Math.abs(want[i]), 1.0);
            if (err > worst) {
                worst = err;
                at = i;
            }
        }
        int w = at;
        assertThat(worst).as("%s: worst relative error at [%d]: got %s, expected %s", what, w,
                w < 0 ? 0 : got[w], w < 0 ? 0 : want[w]).isLessThanOrEqualTo(tol);
        Errors.record(what, worst);
    }

    void sameInts(String what, S s) {
        assertThat(readInts(tvm, s.t(), s.size())).as(what).containsExactly(readInts(cpu, s.c(), s.size()));
    }

    /** Releases this case's storages (the backends stay open for the next case). */
    void releaseAll() {
        for (Storage[] p : live) {
            cpu.memory().release(p[0]);
            tvm.memory().release(p[1]);
        }
        live.clear();
    }

    @Override
    public void close() {
        releaseAll();
        cpu.close();
        tvm.close();
    }

    /** The worst error seen per kernel, printed after the tests (for docs/tornadovm.md). */
    static final class Errors {
        private static final java.util.Map<String, Double> WORST = new java.util.TreeMap<>();

        static synchronized void record(String what, double err) {
            String key = what.replaceAll("\\[.*", "").trim();
            WORST.merge(key, err, Math::max);
        }

        static synchronized String report() {
            StringBuilder sb = new StringBuilder();
            WORST.forEach((k, v) -> sb.append(String.format("  %-40s %.2e%n", k, v)));
            return sb.toString();
        }
    }
}
