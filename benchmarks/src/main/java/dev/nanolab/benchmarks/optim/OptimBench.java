package dev.nanolab.benchmarks.optim;

import dev.nanolab.benchmarks.optim.OptimKernelFixture.Kernel;
import java.util.Locale;
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
 * The fused optimizer kernels in GB/s (the {@code gbytes} counter: bytes each call must move, divided by time), and
 * the triad and axpy bandwidth references, each on arrays of n floats (see {@link OptimKernelFixture} for the bytes
 * counted). JMH runs each kernel in its own fork, so on a shared machine compare a kernel with the references of the
 * same run, or use {@link OptimBandwidth}, which interleaves them in one JVM.
 *
 * <p>Run: {@code benchmarks/run -f 1 -wi 3 -i 5 Optim}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx4g"})
public class OptimBench {
    @Param({"triad", "axpy", "adamw", "adam", "sgd_nesterov", "rmsprop", "lion", "muon_momentum", "muon_update"})
    public String kernel;

    /** 16 Mi floats: 64 MiB per array, far beyond any cache. */
    @Param({"16777216"})
    public int n;

    @Param({"2"})
    public int threads;

    private OptimKernelFixture fixture;
    private Kernel k;

    /** Bytes moved, reported per second (so in GB/s). */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Traffic {
        public double gbytes;
    }

    @Setup(Level.Trial)
    public void setUp() {
        k = Kernel.valueOf(kernel.toUpperCase(Locale.ROOT));
        fixture = new OptimKernelFixture(n, threads);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        fixture.close();
    }

    @Benchmark
    public void run(Traffic t) {
        t.gbytes += 1e-9 * fixture.run(k);
    }
}
