package dev.nanolab.cpu.gemm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.nanolab.cpu.parallel.WorkerPool;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SgemmTest {
    /** Sizes around the vector length (16), the register tile (12×32) and the cache blocks (KC = 256). */
    private static final int[] SIZES = {1, 2, 7, 12, 15, 16, 17, 31, 33, 63, 65, 127, 129};
    /** Marks memory that a product must neither read into its result nor write. */
    private static final float SENTINEL = -7777f;

    private static WorkerPool serial, pair;

    @BeforeAll
    static void pools() {
        serial = new WorkerPool(1);
        pair = new WorkerPool(2);
    }

    @AfterAll
    static void close() {
        serial.close();
        pair.close();
    }

    /**
     * One product with its operands embedded in larger arrays: an offset before each, rows padded to the leading
     * dimension. Padding of A and B is NaN (so reading it would show in C); padding of C is a sentinel.
     */
    record Case(boolean transA, boolean transB, int m, int n, int k, float alpha, boolean accumulate,
                int aOff, int lda, int bOff, int ldb, int cOff, int ldc, float[] a, float[] b, float[] c) {

        static Case random(SplittableRandom rnd, boolean transA, boolean transB, int m, int n, int k,
                           float alpha, boolean accumulate) {
            int aRows = transA ? k : m, aCols = transA ? m : k, bRows = transB ? n : k, bCols = transB ? k : n;
            int lda = aCols + (rnd.nextBoolean() ? 0 : rnd.nextInt(1, 9)), aOff = rnd.nextInt(0, 5);
            int ldb = bCols + (rnd.nextBoolean() ? 0 : rnd.nextInt(1, 9)), bOff = rnd.nextInt(0, 5);
            int ldc = n + (rnd.nextBoolean() ? 0 : rnd.nextInt(1, 9)), cOff = rnd.nextInt(0, 5);
            float[] a = matrix(rnd, aOff, aRows, aCols, lda, Float.NaN, rnd.nextInt(0, 3));
            float[] b = matrix(rnd, bOff, bRows, bCols, ldb, Float.NaN, rnd.nextInt(0, 3));
            float[] c = matrix(rnd, cOff, m, n, ldc, SENTINEL, rnd.nextInt(0, 3));
            if (!accumulate) fill(c, cOff, m, n, ldc, Float.NaN); // every element must be written
            return new Case(transA, transB, m, n, k, alpha, accumulate, aOff, lda, bOff, ldb, cOff, ldc, a, b, c);
        }

        float a(int i, int p) {
            return transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
        }

        float b(int p, int j) {
            return transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
        }

        float[] run(WorkerPool pool) {
            float[] out = c.clone();
            Sgemm.sgemm(pool, transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, accumulate, out, cOff, ldc);
            return out;
        }

        /** Checks {@code out} against a double-precision product, and that nothing outside C changed. */
        void check(float[] out) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double sum = 0, magnitude = 0;
                    for (int p = 0; p < k; p++) {
                        double t = (double) a(i, p) * b(p, j);
                        sum += t;
                        magnitude += Math.abs(t);
                    }
                    double old = accumulate ? c[cOff + i * ldc + j] : 0;
                    double want = alpha * sum + old;
                    double tolerance = 1e-5 * Math.abs(alpha) * magnitude + 1e-6 * Math.abs(old) + 1e-30;
                    float got = out[cOff + i * ldc + j];
                    if (!(Math.abs(got - want) <= tolerance))
                        fail("%s: C[%d][%d] = %s, want %s ± %s", this, i, j, got, want, tolerance);
                }
            }
            for (int x = 0; x < out.length; x++) {
                int rel = x - cOff, i = Math.floorDiv(rel, ldc), j = rel - i * ldc;
                boolean inside = rel >= 0 && i < m && j < n;
                if (!inside && Float.floatToRawIntBits(out[x]) != Float.floatToRawIntBits(c[x]))
                    fail("%s: wrote outside C at index %d (row %d, column %d): %s", this, x, i, j, out[x]);
            }
        }

        @Override
        public String toString() {
            return "m=%d n=%d k=%d transA=%s transB=%s alpha=%s accumulate=%s lda=%d ldb=%d ldc=%d offsets=%d/%d/%d"
                    .formatted(m, n, k, transA, transB, alpha, accumulate, lda, ldb, ldc, aOff, bOff, cOff);
        }
    }

    /** A rows×cols matrix of values in [-1, 1) at {@code off}, row stride ld; everything else {@code pad}. */
    static float[] matrix(SplittableRandom rnd, int off, int rows, int cols, int ld, float pad, int tail) {
        float[] x = new float[off + (rows == 0 ? 0 : (rows - 1) * ld + cols) + tail];
        Arrays.fill(x, pad);
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++) x[off + i * ld + j] = (float) rnd.nextDouble(-1, 1);
        return x;
    }

    static void fill(float[] x, int off, int rows, int cols, int ld, float v) {
        for (int i = 0; i < rows; i++) Arrays.fill(x, off + i * ld, off + i * ld + cols, v);
    }

    @Test
    void matchesDoublePrecisionReferenceOnAwkwardShapes() {
        SplittableRandom rnd = new SplittableRandom(1);
        for (int trial = 0; trial < 240; trial++) {
            int m = SIZES[rnd.nextInt(SIZES.length)], n = SIZES[rnd.nextInt(SIZES.length)];
            int k = SIZES[rnd.nextInt(SIZES.length)];
            boolean transA = (trial & 1) != 0, transB = (trial & 2) != 0, accumulate = (trial & 4) != 0;
            float alpha = (trial & 8) != 0 ? 1f : (float) rnd.nextDouble(-2, 2);
            Case c = Case.random(rnd, transA, transB, m, n, k, alpha, accumulate);
            c.check(c.run(rnd.nextBoolean() ? pair : serial));
        }
    }

    @Test
    void matchesReferenceAcrossCacheBlocks() {
        // k > KC = 1024 (several rank-KC updates), n > NC = 1536 (several B panels), m over many A blocks and
        // micro-panel edges.
        SplittableRandom rnd = new SplittableRandom(2);
        int[][] shapes = {{391, 45, 1100}, {5, 1600, 1030}, {200, 33, 17}, {1, 1, 2100}, {13, 1700, 1}};
        for (int[] s : shapes) {
            for (int t = 0; t < 4; t++) {
                Case c = Case.random(rnd, (t & 1) != 0, (t & 2) != 0, s[0], s[1], s[2], 0.5f, t == 3);
                c.check(c.run(pair));
            }
        }
    }

    @Test
    void emptyDepthClearsOrKeepsC() {
        SplittableRandom rnd = new SplittableRandom(3);
        Case overwrite = Case.random(rnd, false, false, 5, 7, 0, 1f, false);
        overwrite.check(overwrite.run(pair));
        Case accumulate = Case.random(rnd, true, true, 5, 7, 0, 1f, true);
        accumulate.check(accumulate.run(pair));
        Case empty = Case.random(rnd, false, true, 0, 7, 3, 1f, false);
        empty.check(empty.run(pair));
    }

    @Test
    void oneAndTwoThreadsGiveIdenticalBits() {
        SplittableRandom rnd = new SplittableRandom(4);
        // Large enough to run in parallel: tall, wide-and-short (split by columns), deep (several KC blocks).
        int[][] shapes = {{300, 200, 100}, {12, 2000, 64}, {7, 300, 700}, {129, 65, 1100}, {768, 128, 96}};
        for (int[] s : shapes) {
            for (int t = 0; t < 4; t++) {
                Case c = Case.random(rnd, (t & 1) != 0, (t & 2) != 0, s[0], s[1], s[2], 1.5f, (t & 1) == 0);
                float[] one = c.run(serial), two = c.run(pair);
                assertThat(two).as("%s", c).usingElementComparator(SgemmTest::compareBits).containsExactly(one);
            }
        }
    }

    @Test
    void rejectsMatricesThatDoNotFit() {
        float[] x = new float[16];
        assertThatThrownBy(() -> Sgemm.sgemm(pair, false, false, 4, 4, 4, 1f, x, 1, 4, x, 0, 4, false, x, 0, 4))
                .isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("A");
        assertThatThrownBy(() -> Sgemm.sgemm(pair, false, true, 4, 4, 4, 1f, x, 0, 4, x, 0, 3, false, x, 0, 4))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ldb");
        assertThatThrownBy(() -> Sgemm.sgemm(pair, false, false, -1, 4, 4, 1f, x, 0, 4, x, 0, 4, false, x, 0, 4))
                .isInstanceOf(IllegalArgumentException.class);
    }

    static int compareBits(float x, float y) {
        return Integer.compare(Float.floatToRawIntBits(x), Float.floatToRawIntBits(y));
    }
}
