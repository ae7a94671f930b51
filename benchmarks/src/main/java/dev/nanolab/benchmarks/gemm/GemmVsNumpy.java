package dev.nanolab.benchmarks.gemm;

import dev.nanolab.cpu.gemm.Sgemm;
import dev.nanolab.cpu.parallel.WorkerPool;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * nanolab's SGEMM and numpy's (OpenBLAS, through {@code benchmarks/numpy_gemm.py --serve}) measured in alternating
 * short samples, case by case, so that both see the same machine load; prints a markdown table of median GFLOP/s and
 * the median of the paired ratios. On a machine shared with other work this is much steadier than two separate runs.
 *
 * <p>Run from the repository root: {@code python3 benchmarks/gemm_vs_numpy.py [options]} (builds, then runs this
 * with the benchmarks' class path). Options: {@code --threads N} (2), {@code --rounds R} (7),
 * {@code --sample-seconds S} (0.4), {@code --python EXE} (python3), {@code --cpu-time} (with {@code --threads 1}:
 * divide by each process's CPU time instead of wall-clock time, which leaves out the time other processes took the
 * core; the JVM's is counted in clock ticks, so use samples of a second or more), then cases as in numpy_gemm.py ({@code MxKxN:VARIANT} or
 * {@code BxMxKxN:VARIANT}); default: every GemmBench and GemmBatchedBench case.
 */
public final class GemmVsNumpy {
    private GemmVsNumpy() {}

    public static void main(String[] args) throws IOException {
        int threads = 2, rounds = 7;
        double seconds = 0.4;
        String python = "python3";
        boolean cpuTime = false;
        List<String> cases = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--sample-seconds" -> seconds = Double.parseDouble(args[++i]);
                case "--python" -> python = args[++i];
                case "--cpu-time" -> cpuTime = true;
                default -> cases.add(args[i]);
            }
        }
        if (cases.isEmpty()) cases = defaultCases();
        if (cpuTime && threads != 1) throw new IllegalArgumentException("--cpu-time needs --threads 1");
        List<String> command = new ArrayList<>(List.of(python, "benchmarks/numpy_gemm.py", "--threads",
                String.valueOf(threads), "--serve"));
        if (cpuTime) command.add("--cpu-time");
        Process numpy = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (WorkerPool pool = new WorkerPool(threads);
             PrintWriter toNumpy = new PrintWriter(numpy.getOutputStream(), true, StandardCharsets.UTF_8);
             BufferedReader fromNumpy = new BufferedReader(new InputStreamReader(numpy.getInputStream(), StandardCharsets.UTF_8))) {
            System.out.printf("%d threads, %d rounds of alternating %.1f s samples per case%s%n%n", threads, rounds, seconds,
                    cpuTime ? ", GFLOP/s per second of CPU time" : "");
            System.out.println("| case (M×K×N or batch×M×K×N) | variant | nanolab GFLOP/s | numpy GFLOP/s | nanolab / numpy |");
            System.out.println("|---|---|---:|---:|---:|");
            for (String c : cases) {
                Product product = new Product(c, cpuTime);
                product.sample(pool, 1.5); // JIT warm-up
                double[] ours = new double[rounds], theirs = new double[rounds], ratios = new double[rounds];
                for (int r = 0; r < rounds; r++) {
                    if (r % 2 == 0) theirs[r] = numpySample(toNumpy, fromNumpy, c, seconds);
                    ours[r] = product.sample(pool, seconds);
                    if (r % 2 == 1) theirs[r] = numpySample(toNumpy, fromNumpy, c, seconds);
                    ratios[r] = ours[r] / theirs[r];
                }
                String[] sv = c.split(":");
                System.out.printf("| %s | %s | %.1f | %.1f | %.2f |%n", sv[0], sv[1], median(ours), median(theirs), median(ratios));
            }
        } finally {
            numpy.destroy();
        }
    }

    private static List<String> defaultCases() {
        List<String> cases = new ArrayList<>();
        for (String shape : List.of("768x128x384", "768x128x512", "768x512x128", "1024x1024x1024", "8192x768x768",
                "8192x768x3072", "8192x3072x768", "16384x384x1536"))
            for (String variant : List.of("NN", "NT", "TN", "TT")) cases.add(shape + ":" + variant);
        for (String shape : List.of("48x64x32x64", "48x64x64x32"))
            for (String variant : List.of("NN", "NT")) cases.add(shape + ":" + variant);
        return cases;
    }

    private static double numpySample(PrintWriter to, BufferedReader from, String c, double seconds) throws IOException {
        to.println(c + " " + seconds);
        String line = from.readLine();
        if (line == null) throw new IOException("numpy_gemm.py --serve ended");
        return Double.parseDouble(line.trim());
    }

    private static double median(double[] x) {
        double[] s = x.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** CPU time of this JVM (all threads; with one worker that is the measuring thread, plus a little JIT and GC). */
    private static long cpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().orElseThrow().toNanos();
    }

    /** One case's operands, stored as GemmBench stores them. */
    private static final class Product {
        final int batch, m, n, k, lda, ldb;
        final boolean transA, transB;
        final float[] a, b, c;
        final boolean cpuTime;

        Product(String spec, boolean cpuTime) {
            this.cpuTime = cpuTime;
            String[] sv = spec.split(":"), d = sv[0].split("x");
            int o = d.length == 4 ? 1 : 0;
            batch = o == 1 ? Integer.parseInt(d[0]) : 1;
            m = Integer.parseInt(d[o]);
            k = Integer.parseInt(d[o + 1]);
            n = Integer.parseInt(d[o + 2]);
            transA = sv[1].charAt(0) == 'T';
            transB = sv[1].charAt(1) == 'T';
            lda = transA ? m : k;
            ldb = transB ? k : n;
            a = GemmBench.random(batch * m * k, 1);
            b = GemmBench.random(batch * k * n, 2);
            c = new float[batch * m * n];
        }

        /** GFLOP/s over repeated calls lasting at least {@code seconds}. */
        double sample(WorkerPool pool, double seconds) {
            long start = System.nanoTime(), cpuStart = cpuNanos(), calls = 0, elapsed;
            do {
                Sgemm.sgemmBatched(pool, batch, transA, transB, m, n, k, 1f, a, 0, lda, (long) m * k,
                        b, 0, ldb, (long) k * n, false, c, 0, n, (long) m * n);
                calls++;
                elapsed = System.nanoTime() - start;
            } while (elapsed < seconds * 1e9);
            if (cpuTime) elapsed = cpuNanos() - cpuStart;
            return 2.0 * batch * m * n * k * calls / elapsed;
        }
    }
}
