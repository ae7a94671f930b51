package dev.nanolab.launcher.commands;

import static dev.nanolab.api.backend.GemmOperand.of;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.nanolab.api.backend.LayerGradients;
import dev.nanolab.api.backend.AttentionArgs;
import dev.nanolab.api.backend.AttentionGradients;
import dev.nanolab.api.backend.AttentionOperands;
import dev.nanolab.api.backend.RowView;
import dev.nanolab.api.backend.Backend;
import dev.nanolab.api.backend.CausalMask;
import dev.nanolab.api.backend.DType;
import dev.nanolab.api.backend.ext.FusedOptimizerKernels;
import dev.nanolab.api.backend.Span;
import dev.nanolab.api.backend.Storage;
import dev.nanolab.api.backend.UnaryOp;
import dev.nanolab.launcher.Session;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code nanolab bench kernels}: the backend's hot kernels at the shapes training uses, timed in-process (warm-up,
 * then the median of repeated runs), with GFLOP/s or GB/s, the machine's copy bandwidth measured in the same run, and
 * numpy's sgemm at the same shapes when python3 with numpy is on the PATH.
 */
@Command(name = "kernels", description = "Time GEMM, fused attention, norms and the AdamW update: op, shape, ms, GFLOP/s, GB/s, threads.")
public final class BenchKernelsCommand implements Callable<Integer> {
    private final Session session;

    @Option(names = "--backend", defaultValue = "cpu", description = "Backend to time (default cpu).")
    String backendName;

    @Option(names = "--threads", defaultValue = "0", description = "Worker threads (default: every core).")
    int threads;

    @Option(names = "--json", description = "JSON rows with op, shape, ms, gflops, gbps, threads.")
    boolean json;

    @Option(names = "--quick", description = "Fewer shapes and repetitions (a smoke run).")
    boolean quick;

    @Option(names = "--no-numpy", description = "Do not time numpy for comparison.")
    boolean noNumpy;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    BenchKernelsCommand(Session session) {
        this.session = session;
    }

    /**
     * One measurement; gflops or gbps is NaN when it does not apply. refGbps: the copy bandwidth its %bw is against
     * (a copy of the same number of floats), NaN for the machine's out-of-cache copy.
     */
    record Row(String op, String shape, double ms, double gflops, double gbps, int threads, double numpyGflops,
               double refGbps) {
        Row(String op, String shape, double ms, double gflops, double gbps, int threads, double numpyGflops) {
            this(op, shape, ms, gflops, gbps, threads, numpyGflops, Double.NaN);
        }
    }

    /** A GEMM shape: C[m×n] = op(A)[m×k]·op(B)[k×n]. */
    record GemmShape(int m, int n, int k, boolean ta, boolean tb) {
        String label() {
            return m + "x" + n + "x" + k + (ta || tb ? " " + (ta ? "T" : "N") + (tb ? "T" : "N") : "");
        }
    }

    @Override
    public Integer call() throws Exception {
        var registry = session.plugins().registry();
        List<GemmShape> gemms = new ArrayList<>(List.of(new GemmShape(1024, 1024, 1024, false, false)));
        if (!quick) gemms.addAll(List.of(
                new GemmShape(768, 384, 128, false, true),      // cpu-demo c_attn forward: x·Wᵀ
                new GemmShape(768, 128, 512, false, true),      // cpu-demo mlp c_proj forward
                new GemmShape(768, 128, 384, false, false),     // cpu-demo c_attn dX = dY·W
                new GemmShape(384, 128, 768, true, false),      // cpu-demo c_attn dW = dYᵀ·X
                new GemmShape(16384, 1152, 384, false, true),   // shakespeare-char c_attn forward
                new GemmShape(16384, 384, 1536, false, false),  // shakespeare-char mlp c_proj dX
                new GemmShape(1536, 384, 16384, true, false),   // shakespeare-char mlp c_fc dW
                new GemmShape(4096, 3072, 768, false, true),    // gpt2-124m mlp c_fc forward (B·T = 4·1024)
                new GemmShape(768, 3072, 4096, true, false),    // gpt2-124m mlp c_fc dW
                new GemmShape(256, 3072, 768, false, true),     // gpt2-124m at B4 T64 (the peer's shape): mlp c_fc forward
                new GemmShape(256, 50304, 768, false, true),    //   lm_head forward: x·wteᵀ
                new GemmShape(256, 768, 50304, false, false),   //   lm_head dX = dLogits·wte
                new GemmShape(50304, 768, 256, true, false)));  //   lm_head dW = dLogitsᵀ·x
        Map<String, Double> numpy = noNumpy ? Map.of() : NumpyGemm.measure(gemms);
        List<Row> rows = new ArrayList<>();
        var spec = registry.spec(dev.nanolab.api.plugin.ComponentKind.BACKEND, backendName);
        Record options = spec.defaults();
        if (threads > 0 && options != null && options.getClass().getSimpleName().equals("Config")) {
            // The cpu backend's config starts with its thread count.
            var rc = options.getClass().getRecordComponents();
            Object[] args = new Object[rc.length];
            Class<?>[] types = new Class<?>[rc.length];
            for (int i = 0; i < rc.length; i++) {
                types[i] = rc[i].getType();
                args[i] = rc[i].getName().equals("threads") ? threads : rc[i].getAccessor().invoke(options);
            }
            options = (Record) options.getClass().getDeclaredConstructor(types).newInstance(args);
        }
        try (Backend be = spec.create(options).open()) {
            int threads = be.threads();
            double bandwidth = copyBandwidth(be);
            rows.add(new Row("copy (bandwidth)", "64M floats", Double.NaN, Double.NaN, bandwidth, threads, Double.NaN));
            // The ceiling MFU is quoted against (Backend.peakFlops: vector FMAs on registers on every worker).
            double peak = be.peakFlops();
            if (peak > 0) rows.add(new Row("peak (fma)", "registers", Double.NaN, peak / 1e9, Double.NaN, threads, Double.NaN));
            for (GemmShape g : gemms) {
                Storage a = random(be, (long) g.m * g.k), b = random(be, (long) g.k * g.n), c = be.memory().allocate(DType.F32, (long) g.m * g.n);
                double ms = time(() -> be.gemm().matmul(1, g.m, g.n, g.k, 1f, of(a, 0).transposedIf(g.ta), of(b, 0).transposedIf(g.tb), of(c, 0), false));
                rows.add(new Row("gemm", g.label(), ms, 2.0 * g.m * g.n * g.k / ms / 1e6, Double.NaN, threads,
                        numpy.getOrDefault(g.label(), Double.NaN)));
                for (Storage s : List.of(a, b, c)) be.memory().release(s);
            }
            attention(be, rows, 12, 64, 4, 32, 0, threads);
            if (!quick) {
                // A window of w = T/4 keys: its scores are 0.437 of causal's at T = 256 and 1024 (0.5 as T grows);
                // masked tiles are skipped, so its time should follow. The same tokens again at T = 1024. Window 1
                // is the floor: what a pass costs that does not depend on the keys (reading q, k, v, writing out).
                attention(be, rows, 64, 256, 6, 64, 64, threads);
                attention(be, rows, 64, 256, 6, 64, 1, threads);
                attention(be, rows, 16, 1024, 6, 64, 256, threads);
            }
            int rowsN = quick ? 768 : 16384, dim = quick ? 128 : 384;
            long n = (long) rowsN * dim;
            String size = rowsN + "x" + dim;
            // The memory-bound kernels' %bw is against a copy of as many floats (read n, write n), timed here.
            Storage x = random(be, n), y = be.memory().allocate(DType.F32, n), dy = random(be, n);
            double ref = copyGbps(be, x, y, rowsN, dim);
            rows.add(new Row("copy (bandwidth)", size, 2.0 * 4 * n / ref / 1e6, Double.NaN, ref, threads, Double.NaN, ref));
            Storage w = random(be, dim), bias = random(be, dim), mean = be.memory().allocate(DType.F32, rowsN), rstd = be.memory().allocate(DType.F32, rowsN);
            // Bytes moved: a forward reads x and writes y (8 per element); a backward reads dy and x, writes dx (12).
            double ms = time(() -> be.norms().layerNorm(x, w, bias, y, mean, rstd, rowsN, dim, 1e-5f));
            rows.add(new Row("layernorm", size, ms, Double.NaN, 2.0 * 4 * n / ms / 1e6, threads, Double.NaN, ref));
            Storage dx = be.memory().allocate(DType.F32, n), dw = be.memory().allocate(DType.F32, dim), db = be.memory().allocate(DType.F32, dim);
            ms = time(() -> be.norms().layerNormBackward(dy, x, w, mean, rstd, new LayerGradients(dx, dw, db, false, false), rowsN, dim));
            rows.add(new Row("layernorm backward", size, ms, Double.NaN, 3.0 * 4 * n / ms / 1e6, threads, Double.NaN, ref));
            ms = time(() -> be.norms().rmsNorm(x, null, y, rstd, rowsN, dim, 1e-6f));
            rows.add(new Row("rmsnorm", size, ms, Double.NaN, 2.0 * 4 * n / ms / 1e6, threads, Double.NaN, ref));
            ms = time(() -> be.norms().rmsNormBackward(dy, x, null, rstd, new LayerGradients(dx, null, null, false, false), rowsN, dim));
            rows.add(new Row("rmsnorm backward", size, ms, Double.NaN, 3.0 * 4 * n / ms / 1e6, threads, Double.NaN, ref));
            for (UnaryOp op : List.of(UnaryOp.GELU_TANH, UnaryOp.RELU_SQUARED)) {
                String name = op == UnaryOp.GELU_TANH ? "gelu" : "relu²";
                ms = time(() -> be.pointwise().unary(op, 0, 0, x, 0, y, 0, n));
                rows.add(new Row(name, size, ms, Double.NaN, 2.0 * 4 * n / ms / 1e6, threads, Double.NaN, ref));
                ms = time(() -> be.pointwise().unaryBackward(op, 0, 0, new Span(x, 0), new Span(y, 0), new Span(dy, 0), new Span(dx, 0), n, false));
                rows.add(new Row(name + " backward", size, ms, Double.NaN, 3.0 * 4 * n / ms / 1e6, threads, Double.NaN, ref));
            }
            int vocab = quick ? 65 : 50304, ceRows = quick ? 768 : 1024;
            Storage logits = random(be, (long) ceRows * vocab), targets = be.memory().allocate(DType.I32, ceRows);
            be.memory().fill(targets, 0, ceRows, 1);
            Storage lse = be.memory().allocate(DType.F32, ceRows), loss = be.memory().allocate(DType.F32, 1);
            ms = time(() -> be.losses().crossEntropy(logits, targets, lse, loss, ceRows, vocab, -1));
            rows.add(new Row("cross-entropy", ceRows + "x" + vocab, ms, Double.NaN, 4.0 * ceRows * vocab / ms / 1e6, threads, Double.NaN));
            Storage dLoss = be.memory().allocate(DType.F32, 1), dLogits = be.memory().allocate(DType.F32, (long) ceRows * vocab);
            be.memory().write(dLoss, 0, new float[] {1f}, 0, 1);
            // Reads the logits, writes their gradient: 8 bytes per logit.
            ms = time(() -> be.losses().crossEntropyBackward(logits, targets, lse, dLoss, dLogits, ceRows, vocab, -1, false));
            rows.add(new Row("cross-entropy backward", ceRows + "x" + vocab, ms, Double.NaN, 8.0 * ceRows * vocab / ms / 1e6, threads, Double.NaN));
            long params = quick ? 1 << 20 : 10_646_784L;
            Storage p = random(be, params), g = random(be, params), m = random(be, params), v = random(be, params);
            Storage hyper = be.memory().allocate(DType.F32, FusedOptimizerKernels.ADAMW_HYPER_SIZE);
            be.memory().write(hyper, 0, new float[] {1e-4f, 0.9f, 0.99f, 1e-8f, 0.1f, 0.5f, 0.5f, 1f}, 0, 8);
            // m and v stay positive so √v is defined: fill v with |v|.
            be.pointwise().unary(UnaryOp.ABS, 0, 0, v, 0, v, 0, params);
            FusedOptimizerKernels fused = be.extension(FusedOptimizerKernels.class).orElseThrow();
            ms = time(() -> fused.adamw(p, g, m, v, params, hyper, 0));
            rows.add(new Row("adamw", params + " params", ms, Double.NaN, 7.0 * 4 * params / ms / 1e6, threads, Double.NaN));
            print(rows, bandwidth);
        }
        return 0;
    }

    /**
     * Fused attention forward and backward at full causal; with a {@code window} also at that window, the two timed in
     * alternation sample by sample (so both see the same machine) and the window's rows say its ratio to causal.
     */
    private void attention(Backend be, List<Row> rows, int b, int t, int h, int d, int window, int threads) {
        int c = h * d;
        Storage qkv = random(be, (long) b * t * 3 * c), out = be.memory().allocate(DType.F32, (long) b * t * c);
        Storage lse = be.memory().allocate(DType.F32, (long) b * h * t), dqkv = be.memory().allocate(DType.F32, (long) b * t * 3 * c);
        String shape = "B" + b + " T" + t + " H" + h + " D" + d;
        int row = 3 * c;
        AttentionOperands x = new AttentionOperands(new RowView(qkv, 0, row), new RowView(qkv, c, row),
                new RowView(qkv, 2L * c, row), new RowView(out, 0, c), lse, null);
        AttentionGradients grads = new AttentionGradients(new RowView(dqkv, 0, row), new RowView(dqkv, c, row),
                new RowView(dqkv, 2L * c, row), null, false);
        RowView dOut = new RowView(out, 0, c);
        AttentionArgs causal = attentionArgs(b, h, t, d, 0);
        if (window == 0) {
            double ms = time(() -> be.attention().forward(causal, x));
            rows.add(new Row("attention", shape, ms, attentionFlops(b, h, t, d, 0) / ms / 1e6, Double.NaN, threads, Double.NaN));
            ms = time(() -> be.attention().backward(causal, x, dOut, grads));
            rows.add(new Row("attention backward", shape, ms, 2.5 * attentionFlops(b, h, t, d, 0) / ms / 1e6, Double.NaN, threads, Double.NaN));
            return;
        }
        AttentionArgs windowed = attentionArgs(b, h, t, d, window);
        double[] fwd = timeAlternating(() -> be.attention().forward(causal, x), () -> be.attention().forward(windowed, x));
        double[] bwd = timeAlternating(() -> be.attention().backward(causal, x, dOut, grads),
                () -> be.attention().backward(windowed, x, dOut, grads));
        double full = attentionFlops(b, h, t, d, 0), part = attentionFlops(b, h, t, d, window);
        rows.add(new Row("attention", shape, fwd[0], full / fwd[0] / 1e6, Double.NaN, threads, Double.NaN));
        rows.add(new Row("attention backward", shape, bwd[0], 2.5 * full / bwd[0] / 1e6, Double.NaN, threads, Double.NaN));
        String label = String.format(java.util.Locale.ROOT, "%s window %d (%.2fx)", shape, window, fwd[1] / fwd[0]);
        rows.add(new Row("attention", label, fwd[1], part / fwd[1] / 1e6, Double.NaN, threads, Double.NaN));
        label = String.format(java.util.Locale.ROOT, "%s window %d (%.2fx)", shape, window, bwd[1] / bwd[0]);
        rows.add(new Row("attention backward", label, bwd[1], 2.5 * part / bwd[1] / 1e6, Double.NaN, threads, Double.NaN));
    }

    private static AttentionArgs attentionArgs(int b, int h, int t, int d, int window) {
        return new AttentionArgs(b, h, t, t, d, new CausalMask(t, t, 0, window), (float) (1 / Math.sqrt(d)),
                Float.NEGATIVE_INFINITY, 0f, 0L);
    }

    /** The forward's flops: the scores a query sees (i + 1, or at most the window), q·k and p·v each 2·D per score. */
    private static double attentionFlops(int b, int h, int t, int d, int window) {
        double scores = 0;
        for (int i = 0; i < t; i++) scores += window == 0 ? i + 1 : Math.min(i + 1, window);
        return 4.0 * b * h * scores * d;
    }

    private static double copyBandwidth(Backend be) {
        long n = 64L << 20;
        Storage a = random(be, n), b = be.memory().allocate(DType.F32, n);
        double gbps = copyGbps(be, a, b, (int) (n >> 16), 1 << 16);
        be.memory().release(a);
        be.memory().release(b);
        return gbps;
    }

    /**
     * GB/s of copying rows × cols floats from a to b (read and write), as rows, so every worker copies some: a flat
     * copy is one row, which `copy` gives one thread (half the machine).
     */
    private static double copyGbps(Backend be, Storage a, Storage b, int rows, int cols) {
        int[] strides = {cols, 1}, shape = {rows, cols};
        double ms = time(() -> be.pointwise().copy(a, 0, strides, b, 0, strides, shape, false));
        return 2.0 * 4 * rows * cols / ms / 1e6;
    }

    private static Storage random(Backend be, long n) {
        Storage s = be.memory().allocate(DType.F32, n);
        float[] chunk = new float[1 << 16];
        java.util.Random r = new java.util.Random(n);
        for (long at = 0; at < n; at += chunk.length) {
            int len = (int) Math.min(chunk.length, n - at);
            for (int i = 0; i < len; i++) chunk[i] = (float) r.nextGaussian();
            be.memory().write(s, at, chunk, 0, len);
        }
        return s;
    }

    /** Median milliseconds of a and of b, sampled in alternation (a, b, a, b, ...) after a warm-up of both. */
    static double[] timeAlternating(Runnable a, Runnable b) {
        warmUp(() -> {
            a.run();
            b.run();
        });
        List<Double> msA = new ArrayList<>(), msB = new ArrayList<>();
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1400);
        while (msA.size() < 7 || (System.nanoTime() < end && msA.size() < 200)) {
            long t0 = System.nanoTime();
            a.run();
            long t1 = System.nanoTime();
            b.run();
            msA.add((t1 - t0) / 1e6);
            msB.add((System.nanoTime() - t1) / 1e6);
        }
        return new double[] {median(msA), median(msB)};
    }

    /**
     * Runs r until the JIT is done with it: rounds of 200 ms until a round's median is within 5% of the round before
     * (at most 5 s). Why not a fixed 300 ms: behind a queue of GEMM compilations on 2 cores, the attention kernels
     * were still in C1 code (a hundred times slower with vectors) when their timing began.
     */
    static void warmUp(Runnable r) {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        double previous = Double.NaN;
        while (System.nanoTime() < giveUp) {
            List<Double> ms = new ArrayList<>();
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
            while (ms.size() < 3 || System.nanoTime() < end) {
                long t0 = System.nanoTime();
                r.run();
                ms.add((System.nanoTime() - t0) / 1e6);
            }
            double median = median(ms);
            if (Math.abs(median - previous) <= 0.05 * previous) return;
            previous = median;
        }
    }

    /** Median milliseconds of one run, after a warm-up. */
    static double time(Runnable r) {
        warmUp(r);
        List<Double> ms = new ArrayList<>();
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(700);
        while (ms.size() < 5 || (System.nanoTime() < end && ms.size() < 200)) {
            long t0 = System.nanoTime();
            r.run();
            ms.add((System.nanoTime() - t0) / 1e6);
        }
        return median(ms);
    }

    private static double median(List<Double> ms) {
        return BenchCommand.median(ms.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private void print(List<Row> rows, double bandwidth) {
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ObjectMapper om = new ObjectMapper();
            ArrayNode arr = om.createArrayNode();
            for (Row r : rows) {
                var n = arr.addObject();
                n.put("op", r.op()).put("shape", r.shape());
                if (Double.isNaN(r.ms())) n.putNull("ms"); else n.put("ms", r.ms());
                if (Double.isNaN(r.gflops())) n.putNull("gflops"); else n.put("gflops", r.gflops());
                if (Double.isNaN(r.gbps())) n.putNull("gbps"); else n.put("gbps", r.gbps());
                n.put("copy_gbps", Double.isNaN(r.refGbps()) ? bandwidth : r.refGbps());
                n.put("threads", r.threads());
                if (!Double.isNaN(r.numpyGflops())) n.put("numpy_gflops", r.numpyGflops());
            }
            out.println(arr.toPrettyString());
            return;
        }
        out.printf("%-22s %-38s %10s %10s %14s %10s %8s%n", "op", "shape", "ms", "GFLOP/s", "GB/s (%bw)", "numpy", "threads");
        for (Row r : rows)
            out.printf("%-22s %-38s %10s %10s %14s %10s %8d%n", r.op(), r.shape(), fmt(r.ms(), "%.3f"), fmt(r.gflops(), "%.1f"),
                    Double.isNaN(r.gbps()) ? "-" : String.format("%.1f (%.0f%%)", r.gbps(),
                            100 * r.gbps() / (Double.isNaN(r.refGbps()) ? bandwidth : r.refGbps())),
                    fmt(r.numpyGflops(), "%.1f"), r.threads());
    }

    private static String fmt(double v, String f) {
        return Double.isNaN(v) ? "-" : String.format(f, v);
    }

    /** numpy's sgemm at the same shapes, in a python3 subprocess; empty when python3 or numpy is missing. */
    static final class NumpyGemm {
        private static final String SCRIPT = """
                import json, sys, time
                import numpy as np
                out = {}
                for m, n, k, ta, tb, label in json.loads(sys.argv[1]):
                    a = np.random.randn(k, m).astype(np.float32) if ta else np.random.randn(m, k).astype(np.float32)
                    b = np.random.randn(n, k).astype(np.float32) if tb else np.random.randn(k, n).astype(np.float32)
                    A = a.T if ta else a
                    B = b.T if tb else b
                    t_end = time.perf_counter() + 0.3
                    while time.perf_counter() < t_end: A @ B
                    ts = []
                    t_end = time.perf_counter() + 0.7
                    while len(ts) < 5 or (time.perf_counter() < t_end and len(ts) < 200):
                        t0 = time.perf_counter(); A @ B; ts.append(time.perf_counter() - t0)
                    ts.sort()
                    out[label] = 2.0 * m * n * k / ts[len(ts) // 2] / 1e9
                print(json.dumps(out))
                """;

        static Map<String, Double> measure(List<GemmShape> shapes) {
            try {
                List<List<Object>> arg = new ArrayList<>();
                for (GemmShape s : shapes) arg.add(List.of(s.m, s.n, s.k, s.ta, s.tb, s.label()));
                ProcessBuilder pb = new ProcessBuilder("python3", "-c", SCRIPT, new ObjectMapper().writeValueAsString(arg))
                        .redirectError(ProcessBuilder.Redirect.DISCARD);
                // The peer on its own best kernel: a machine-wide OPENBLAS_CORETYPE=Haswell (with its L2 size) halves it.
                pb.environment().remove("OPENBLAS_CORETYPE");
                pb.environment().remove("OPENBLAS_L2_SIZE");
                Process p = pb.start();
                String text = new String(p.getInputStream().readAllBytes());
                if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) return Map.of();
                JsonNode n = new ObjectMapper().readTree(text);
                Map<String, Double> out = new LinkedHashMap<>();
                n.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asDouble()));
                return out;
            } catch (Exception e) {
                return Map.of();
            }
        }
    }
}
