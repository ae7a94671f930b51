package dev.nanolab.tornadovm;

import static dev.nanolab.api.backend.GemmOperand.of;

import dev.nanolab.api.backend.LayerGradients;
import dev.nanolab.api.backend.AttentionArgs;
import dev.nanolab.api.backend.ext.FusedOptimizerKernels;
import dev.nanolab.api.backend.RowView;
import dev.nanolab.api.backend.AttentionGradients;
import dev.nanolab.api.backend.AttentionOperands;
import dev.nanolab.api.backend.Backend;
import dev.nanolab.api.backend.CausalMask;
import dev.nanolab.api.backend.DType;
import dev.nanolab.api.backend.Storage;
import dev.nanolab.api.backend.UnaryOp;
import dev.nanolab.cpu.CpuBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Timings for docs/tornadovm.md: per kernel (eager, one TaskGraph execution per call) on the TornadoVM device and on the
 * CPU backend, and a small GPT training step (CPU, TornadoVM eager, TornadoVM captured). Run only when asked:
 * {@code -Dnanolab.tornadovm.bench=true}. Numbers from PoCL (OpenCL on the CPU) say nothing about a GPU.
 */
@EnabledIfSystemProperty(named = "nanolab.tornadovm.bench", matches = "true")
class TornadoBenchmarkTest {
    private static final int WARMUP = 3, REPS = 10;

    interface Kernel {
        void run(Backend be, Storage[] s);
    }

    record Case(String name, long flops, int[] sizes, Kernel kernel) {}

    private static Storage[] alloc(Backend be, int[] sizes, Random rng) {
        Storage[] s = new Storage[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
            float[] v = new float[sizes[i]];
            for (int j = 0; j < v.length; j++) v[j] = (float) rng.nextGaussian() * 0.5f;
            s[i] = be.memory().allocate(DType.F32, sizes[i]);
            be.memory().write(s[i], 0, v, 0, v.length);
        }
        return s;
    }

    /** Mean milliseconds per call, ending each batch of calls with a one-element read so the device has finished. */
    private static double time(Backend be, Storage[] s, Kernel k) {
        float[] one = new float[1];
        for (int i = 0; i < WARMUP; i++) k.run(be, s);
        be.memory().read(s[s.length - 1], 0, one, 0, 1);
        long t0 = System.nanoTime();
        for (int i = 0; i < REPS; i++) k.run(be, s);
        be.memory().read(s[s.length - 1], 0, one, 0, 1);
        return (System.nanoTime() - t0) / 1e6 / REPS;
    }

    @Test
    void kernels() {
        // nanoGPT's shakespeare-char scale: B=8, T=256, C=384, 6 heads, vocab 65.
        int b = 8, t = 256, c = 384, h = 6, d = c / h, rows = b * t, vocab = 65;
        AttentionArgs att = new AttentionArgs(b, h, t, t, d, new CausalMask(t, t, 0, 0), (float) (1 / Math.sqrt(d)),
                Float.NEGATIVE_INFINITY, 0f, 0L);
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("matmul x·Wᵀ 2048×384 · 384×1152", 2L * rows * c * 3 * c, new int[] {rows * c, 3 * c * c, rows * 3 * c},
                (be, s) -> be.gemm().matmul(1, rows, 3 * c, c, 1f, of(s[0], 0), of(s[1], 0).t(), of(s[2], 0), false)));
        cases.add(new Case("matmul dW = gᵀ·x 1152×2048 · 2048×384", 2L * rows * c * 3 * c, new int[] {rows * 3 * c, rows * c, 3 * c * c},
                (be, s) -> be.gemm().matmul(1, 3 * c, c, rows, 1f, of(s[0], 0).t(), of(s[1], 0), of(s[2], 0), false)));
        cases.add(new Case("layerNorm 2048×384", 0, new int[] {rows * c, c, c, rows * c, rows, rows},
                (be, s) -> be.norms().layerNorm(s[0], s[1], s[2], s[3], s[4], s[5], rows, c, 1e-5f)));
        cases.add(new Case("layerNormBackward 2048×384", 0, new int[] {rows * c, rows * c, c, rows, rows, rows * c, c, c},
                (be, s) -> be.norms().layerNormBackward(s[0], s[1], s[2], s[3], s[4], new LayerGradients(s[5], s[6], s[7], false, false), rows, c)));
        cases.add(new Case("gelu 2048×1536", 0, new int[] {rows * 4 * c, rows * 4 * c},
                (be, s) -> be.pointwise().unary(UnaryOp.GELU_TANH, 0, 0, s[0], 0, s[1], 0, (long) rows * 4 * c)));
        cases.add(new Case("attention forward B8 H6 T256 D64", 2L * b * h * t * t * d, new int[] {rows * 3 * c, rows * c, b * h * t},
                (be, s) -> be.attention().forward(att, new AttentionOperands(new RowView(s[0], 0, 3 * c), new RowView(s[0], c, 3 * c), new RowView(s[0], 2L * c, 3 * c), new RowView(s[1], 0, c), s[2], null))));
        cases.add(new Case("attention backward B8 H6 T256 D64", 5L * b * h * t * t * d, new int[] {rows * 3 * c, rows * c, b * h * t, rows * c, rows * 3 * c},
                (be, s) -> {
                    be.attention().forward(att, new AttentionOperands(new RowView(s[0], 0, 3 * c), new RowView(s[0], c, 3 * c), new RowView(s[0], 2L * c, 3 * c), new RowView(s[1], 0, c), s[2], null));
                    be.attention().backward(att, new AttentionOperands(new RowView(s[0], 0, 3 * c), new RowView(s[0], c, 3 * c), new RowView(s[0], 2L * c, 3 * c), new RowView(s[1], 0, c), s[2], null), new RowView(s[3], 0, c), new AttentionGradients(new RowView(s[4], 0, 3 * c), new RowView(s[4], c, 3 * c), new RowView(s[4], 2L * c, 3 * c), null, false));
                }));
        cases.add(new Case("softmax 12288×256 causal", 0, new int[] {b * h * t * t, b * h * t * t},
                (be, s) -> be.softmax().softmax(s[0], s[1], b * h * t, t, new CausalMask(t, t, 0, 0), Float.NEGATIVE_INFINITY)));
        cases.add(new Case("adamw 10.6M params", 0, new int[] {10_600_000, 10_600_000, 10_600_000, 10_600_000, 8},
                (be, s) -> be.extension(FusedOptimizerKernels.class).orElseThrow().adamw(s[0], s[1], s[2], s[3], 10_600_000, s[4], 0)));
        cases.add(new Case("sumOfSquares 10.6M", 0, new int[] {10_600_000, 1},
                (be, s) -> be.optimizer().sumOfSquares(s[0], 10_600_000, s[1], 0, false)));
        cases.add(new Case("copy bias broadcast 2048×1152", 0, new int[] {3 * c, rows * 3 * c},
                (be, s) -> be.pointwise().copy(s[0], 0, new int[] {0, 1}, s[1], 0, new int[] {3 * c, 1}, new int[] {rows, 3 * c}, false)));
        cases.add(new Case("tiny unary (64 elements): launch overhead", 0, new int[] {64, 64},
                (be, s) -> be.pointwise().unary(UnaryOp.SCALE, 2f, 0, s[0], 0, s[1], 0, 64)));

        StringBuilder out = new StringBuilder("| kernel | CPU backend (2 threads) ms | TornadoVM PoCL eager ms | GFLOP/s CPU / PoCL |\n|---|---:|---:|---:|\n");
        try (CpuBackend cpu = new CpuBackend(2, false); TornadoBackend tvm = new TornadoBackend("0:0", 1024, 16, true, false)) {
            for (Case k : cases) {
                Random rng = new Random(1);
                Storage[] sc = alloc(cpu, k.sizes, rng), st = alloc(tvm, k.sizes, new Random(1));
                double tc = time(cpu, sc, k.kernel), tt = time(tvm, st, k.kernel);
                String gf = k.flops == 0 ? "" : String.format("%.1f / %.1f", k.flops / tc / 1e6, k.flops / tt / 1e6);
                out.append(String.format("| %s | %.2f | %.2f | %s |%n", k.name, tc, tt, gf));
                for (Storage x : sc) cpu.memory().release(x);
                for (Storage x : st) tvm.memory().release(x);
            }
        }
        System.out.println("BENCH kernels\n" + out);
    }

    @Test
    void trainingStep() {
        StringBuilder out = new StringBuilder("| backend | ms/step (steps 4-20) |\n|---|---:|\n");
        GptTrainingTest.Run cpu, eager, captured;
        try (CpuBackend be = new CpuBackend(2, false)) {
            cpu = GptTrainingTest.train(be, "softmax", 0f, false, 5);
        }
        try (TornadoBackend be = TornadoBackend.forTests(false)) {
            eager = GptTrainingTest.train(be, "softmax", 0f, false, 5);
        }
        String stats;
        try (TornadoBackend be = TornadoBackend.forTests(false)) {
            captured = GptTrainingTest.train(be, "softmax", 0f, true, 5);
            stats = be.stats();
        }
        out.append(String.format("| cpu (2 threads) | %d |%n| tornadovm eager | %d |%n| tornadovm captured | %d |%n",
                cpu.millisPerStep(), eager.millisPerStep(), captured.millisPerStep()));
        System.out.println("BENCH training step (GPT 2 layers, 4 heads, 32 wide, B=4, T=16, vocab 37)\n" + out + "captured: " + stats);
    }
}
