package dev.nanolab.benchmarks.gemm;

import dev.nanolab.cpu.gemm.Sgemm;
import dev.nanolab.cpu.parallel.WorkerPool;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * SGEMM at the shapes of GPT-style training, in GFLOP/s (the {@code gflop} counter: 2·m·n·k per call, divided by
 * time). Shapes are M×K×N as in {@code C[M×N] = op(A)[M×K] · op(B)[K×N]}; the variant names the transposes of A and B
 * ("NT" is the forward pass x·Wᵀ, "NN" the input gradient dY·W, "TN" the weight gradient dYᵀ·X).
 *
 * <p>Run: {@code benchmarks/run -f 1 -wi 3 -i 5 GemmBench}, or beside numpy: {@code python3 benchmarks/gemm_vs_numpy.py}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class GemmBench {
    @Param({"768x128x384", "768x128x512", "768x512x128", "1024x1024x1024", "8192x768x768", "8192x768x3072",
            "8192x3072x768", "16384x384x1536"})
    public String shape;

    @Param({"NN", "NT", "TN", "TT"})
    public String variant;

    @Param({"2"})
    public int threads;

    private WorkerPool pool;
    private int m, n, k, lda, ldb;
    private boolean transA, transB;
    private float[] a, b, c;

    /** Floating-point operations done, reported per second (so in GFLOP/s). */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Flops {
        public double gflop;
    }

    @Setup(Level.Trial)
    public void setUp() {
        String[] mkn = shape.split("x");
        m = Integer.parseInt(mkn[0]);
        k = Integer.parseInt(mkn[1]);
        n = Integer.parseInt(mkn[2]);
        transA = variant.charAt(0) == 'T';
        transB = variant.charAt(1) == 'T';
        lda = transA ? m : k;
        ldb = transB ? k : n;
        a = random(m * k, 1);
        b = random(k * n, 2);
        c = new float[m * n];
        pool = new WorkerPool(threads);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
    }

    @Benchmark
    public float[] sgemm(Flops flops) {
        Sgemm.sgemm(pool, transA, transB, m, n, k, 1f, a, 0, lda, b, 0, ldb, false, c, 0, n);
        flops.gflop += 2e-9 * m * n * k;
        return c;
    }

    static float[] random(int length, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] x = new float[length];
        for (int i = 0; i < length; i++) x[i] = (float) rnd.nextDouble(-1, 1);
        return x;
    }
}
