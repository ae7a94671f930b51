package dev.nanolab.benchmarks.optim;

import dev.nanolab.benchmarks.optim.OptimKernelFixture.Kernel;
import java.util.Arrays;

/**
 * The optimizer kernels against the machine's bandwidth, measured side by side: each round times every kernel and
 * both references back to back in one JVM, so they share whatever else the machine is doing at that moment. Prints,
 * per kernel, the median GB/s over rounds and the median of its ratio to axpy and triad measured in the same round.
 * On a machine shared with other work this ratio is far steadier than GB/s from separate JMH forks.
 *
 * <p>Run (after {@code benchmarks/run} has built the module):
 * {@code $(.mvn/find-jdk)/bin/java --add-modules jdk.incubator.vector -cp "benchmarks/target/classes:$(cat
 * benchmarks/target/classpath.txt)" dev.nanolab.benchmarks.optim.OptimBandwidth [n] [threads] [rounds]}
 */
public final class OptimBandwidth {
    private OptimBandwidth() {}

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1 << 24;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : Runtime.getRuntime().availableProcessors();
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 15;
        Kernel[] kernels = Kernel.values();
        double[][] gbs = new double[kernels.length][rounds];
        try (OptimKernelFixture f = new OptimKernelFixture(n, threads)) {
            for (int warm = 0; warm < 3; warm++) for (Kernel k : kernels) f.run(k);
            for (int r = 0; r < rounds; r++)
                for (int i = 0; i < kernels.length; i++) {
                    int calls = 5;
                    long bytes = 0, t0 = System.nanoTime();
                    for (int c = 0; c < calls; c++) bytes += f.run(kernels[i]);
                    gbs[i][r] = (double) bytes / (System.nanoTime() - t0);
                }
        }
        System.out.printf("n = %d floats per array, %d threads, %d rounds; GB/s medians over rounds%n", n, threads, rounds);
        System.out.printf("%-14s %6s %8s %8s %9s%n", "kernel", "B/elem", "GB/s", "÷axpy", "÷triad");
        for (int i = 0; i < kernels.length; i++) {
            double[] toAxpy = new double[rounds], toTriad = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                toAxpy[r] = gbs[i][r] / gbs[Kernel.AXPY.ordinal()][r];
                toTriad[r] = gbs[i][r] / gbs[Kernel.TRIAD.ordinal()][r];
            }
            System.out.printf("%-14s %6d %8.1f %8.2f %9.2f%n", kernels[i].name().toLowerCase(), kernels[i].bytesPerElement,
                    median(gbs[i]), median(toAxpy), median(toTriad));
        }
    }

    private static double median(double[] x) {
        double[] s = x.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
