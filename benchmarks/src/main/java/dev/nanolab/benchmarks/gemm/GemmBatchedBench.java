package dev.nanolab.benchmarks.gemm;

import dev.nanolab.cpu.gemm.Sgemm;
import dev.nanolab.cpu.parallel.WorkerPool;
import java.util.concurrent.TimeUnit;
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
 * Batched SGEMM at attention shapes (batch = batch·heads, M×K×N per item), in GFLOP/s like {@link GemmBench}:
 * "48x64x32x64" NT is the scores Q·Kᵀ (T=64, head size 32), "48x64x64x32" NN the weighted values P·V.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class GemmBatchedBench {
    @Param({"48x64x32x64", "48x64x64x32"})
    public String shape;

    @Param({"NN", "NT"})
    public String variant;

    @Param({"2"})
    public int threads;

    private WorkerPool pool;
    private int batch, m, n, k, lda, ldb;
    private boolean transA, transB;
    private float[] a, b, c;

    @Setup(Level.Trial)
    public void setUp() {
        String[] bmkn = shape.split("x");
        batch = Integer.parseInt(bmkn[0]);
        m = Integer.parseInt(bmkn[1]);
        k = Integer.parseInt(bmkn[2]);
        n = Integer.parseInt(bmkn[3]);
        transA = variant.charAt(0) == 'T';
        transB = variant.charAt(1) == 'T';
        lda = transA ? m : k;
        ldb = transB ? k : n;
        a = GemmBench.random(batch * m * k, 1);
        b = GemmBench.random(batch * k * n, 2);
        c = new float[batch * m * n];
        pool = new WorkerPool(threads);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
    }

    @Benchmark
    public float[] sgemmBatched(GemmBench.Flops flops) {
        Sgemm.sgemmBatched(pool, batch, transA, transB, m, n, k, 1f, a, 0, lda, (long) m * k, b, 0, ldb, (long) k * n,
                false, c, 0, n, (long) m * n);
        flops.gflop += 2e-9 * batch * m * n * k;
        return c;
    }
}
