package dev.nanolab.cpu.gemm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.nanolab.cpu.parallel.WorkerPool;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SgemmBatchedTest {
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

    /** A batch laid out item after item with a gap of {@code gap} floats (NaN in inputs, sentinel in C). */
    record Batch(int batch, boolean transA, boolean transB, int m, int n, int k, float alpha, boolean accumulate,
                 boolean sharedB, float[] a, long aStride, float[] b, long bStride, float[] c, long cStride) {
        static Batch random(SplittableRandom rnd, int batch, boolean transA, boolean transB, int m, int n, int k,
                            float alpha, boolean accumulate, boolean sharedB) {
            long aStride = (long) m * k + 3, bStride = sharedB ? 0 : (long) k * n + 5, cStride = (long) m * n + 2;
            float[] a = filled(batch * aStride, Float.NaN), b = filled(sharedB ? k * n : batch * bStride, Float.NaN);
            float[] c = filled(batch * cStride, -7777f);
            for (int i = 0; i < batch; i++) {
                for (int x = 0; x < m * k; x++) a[(int) (i * aStride) + x] = (float) rnd.nextDouble(-1, 1);
                if (!sharedB || i == 0)
                    for (int x = 0; x < k * n; x++) b[(int) (i * bStride) + x] = (float) rnd.nextDouble(-1, 1);
                for (int x = 0; x < m * n; x++)
                    c[(int) (i * cStride) + x] = accumulate ? (float) rnd.nextDouble(-1, 1) : Float.NaN;
            }
            return new Batch(batch, transA, transB, m, n, k, alpha, accumulate, sharedB, a, aStride, b, bStride, c, cStride);
        }

        float[] run(WorkerPool pool) {
            float[] out = c.clone();
            Sgemm.sgemmBatched(pool, batch, transA, transB, m, n, k, alpha, a, 0, Math.max(1, transA ? m : k), aStride,
                    b, 0, Math.max(1, transB ? k : n), bStride, accumulate, out, 0, n, cStride);
            return out;
        }

        void check(float[] out) {
            for (int item = 0; item < batch; item++) {
                int ao = (int) (item * aStride), bo = (int) (item * bStride), co = (int) (item * cStride);
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        double sum = 0, magnitude = 0;
                        for (int p = 0; p < k; p++) {
                            double t = (double) (transA ? a[ao + p * m + i] : a[ao + i * k + p])
                                    * (transB ? b[bo + j * k + p] : b[bo + p * n + j]);
                            sum += t;
                            magnitude += Math.abs(t);
                        }
                        double old = accumulate ? c[co + i * n + j] : 0, want = alpha * sum + old;
                        float got = out[co + i * n + j];
                        if (!(Math.abs(got - want) <= 1e-5 * Math.abs(alpha) * magnitude + 1e-6 * Math.abs(old) + 1e-30))
                            fail("%s item %d: C[%d][%d] = %s, want %s", this, item, i, j, got, want);
                    }
                }
                for (int x = co + m * n; x < Math.min(out.length, co + cStride); x++)
                    if (out[x] != -7777f) fail("%s item %d: wrote past C at %d", this, item, x);
            }
        }

        @Override
        public String toString() {
            return "batch=%d m=%d n=%d k=%d transA=%s transB=%s alpha=%s accumulate=%s sharedB=%s"
                    .formatted(batch, m, n, k, transA, transB, alpha, accumulate, sharedB);
        }
    }

    static float[] filled(long length, float v) {
        float[] x = new float[Math.toIntExact(length)];
        Arrays.fill(x, v);
        return x;
    }

    @Test
    void matchesReferenceForAttentionShapesAndBroadcastWeights() {
        SplittableRandom rnd = new SplittableRandom(5);
        // {batch, m, n, k}: attention scores and weighted values, a batch of one, odd sizes, larger items.
        int[][] shapes = {{48, 64, 64, 32}, {48, 64, 32, 64}, {1, 33, 17, 65}, {7, 15, 31, 9}, {5, 129, 65, 300}, {3, 1, 1, 1}};
        for (int[] s : shapes) {
            for (int t = 0; t < 8; t++) {
                boolean transA = (t & 1) != 0, transB = (t & 2) != 0, sharedB = (t & 4) != 0;
                Batch batch = Batch.random(rnd, s[0], transA, transB, s[1], s[2], s[3], t == 5 ? 0.125f : 1f,
                        t % 3 == 0, sharedB);
                batch.check(batch.run(t % 2 == 0 ? pair : serial));
            }
        }
    }

    @Test
    void oneAndTwoThreadsGiveIdenticalBits() {
        SplittableRandom rnd = new SplittableRandom(6);
        // One product per thread, and a batch too short for that (each product split into tiles).
        for (int[] s : new int[][] {{48, 64, 64, 32}, {4, 200, 100, 300}, {2, 200, 100, 300}}) {
            Batch batch = Batch.random(rnd, s[0], false, true, s[1], s[2], s[3], 1f, false, false);
            float[] one = batch.run(serial), two = batch.run(pair);
            assertThat(two).usingElementComparator(SgemmTest::compareBits).containsExactly(one);
        }
    }

    @Test
    void zeroDepthClearsEveryProduct() {
        SplittableRandom rnd = new SplittableRandom(7);
        for (boolean accumulate : new boolean[] {false, true}) {
            Batch batch = Batch.random(rnd, 6, false, false, 3, 5, 0, 1f, accumulate, false);
            batch.check(batch.run(pair));
        }
    }

    @Test
    void emptyBatchDoesNothing() {
        float[] c = {1, 2, 3};
        Sgemm.sgemmBatched(pair, 0, false, false, 1, 1, 1, 1f, new float[0], 0, 1, 1, new float[0], 0, 1, 1,
                false, c, 0, 1, 1);
        assertThat(c).containsExactly(1, 2, 3);
    }
}
