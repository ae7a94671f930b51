package dev.nanolab.cpu.gemm;

import dev.nanolab.cpu.parallel.WorkerPool;
import java.util.Arrays;
import java.util.Objects;

/**
 * Single-precision matrix multiply on row-major float arrays:
 * {@code C[m×n] = alpha · op(A)[m×k] · op(B)[k×n] (+ C if accumulate)}, where {@code op(X)} is X or its transpose.
 *
 * <p>Memory layout (row-major throughout): element (i, j) of a matrix with leading dimension {@code ld} is at
 * {@code off + i*ld + j}. With {@code transA}, A is stored as k×m (so A[p][i] is at {@code aOff + p*lda + i});
 * with {@code transB}, B is stored as n×k. Elements of C's rows past column n (when {@code ldc > n}) are not touched.
 *
 * <p>Every element of C is computed by one thread, summing over k in the same order whatever the thread count, so
 * results are bit-identical for any number of threads.
 *
 * <p>Implementation: cache-blocked and packed (see {@link GemmJob}, {@link PackA}, {@link PackB},
 * {@link MicroKernel}, {@link GemmBlocking}); products smaller than {@link GemmBlocking#PARALLEL_MIN_FMAS} run on
 * the calling thread.
 */
public final class Sgemm {
    private Sgemm() {}

    public static void sgemm(WorkerPool pool, boolean transA, boolean transB, int m, int n, int k, float alpha,
                             float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             boolean accumulate, float[] c, int cOff, int ldc) {
        Objects.requireNonNull(pool, "pool");
        checkShape(m, n, k);
        checkMatrix("A", a, aOff, lda, transA ? k : m, transA ? m : k);
        checkMatrix("B", b, bOff, ldb, transB ? n : k, transB ? k : n);
        checkMatrix("C", c, cOff, ldc, m, n);
        if (m == 0 || n == 0) return;
        if (k == 0) {
            if (!accumulate) clear(c, cOff, ldc, m, n);
            return;
        }
        boolean parallel = pool.threads() > 1 && (long) m * n * k >= GemmBlocking.PARALLEL_MIN_FMAS;
        GemmWorkspace.current().job.multiply(parallel ? pool : null, transA, transB, m, n, k, alpha,
                a, aOff, lda, b, bOff, ldb, accumulate, c, cOff, ldc);
    }

    /**
     * {@code batch} independent products with the conventions of {@link #sgemm}: product i reads A at
     * {@code aOff + i*aBatchStride}, B at {@code bOff + i*bBatchStride} and writes C at {@code cOff + i*cBatchStride}.
     * A stride of 0 shares one matrix across the batch (e.g. broadcast weights); the C matrices must not share
     * elements.
     *
     * <p>Small products are spread over the workers one whole product per task; large ones (or a batch too short to
     * keep the workers busy) are each split into tiles. Either way each product is computed exactly as
     * {@link #sgemm} would, so the result does not depend on the thread count.
     */
    public static void sgemmBatched(WorkerPool pool, int batch, boolean transA, boolean transB, int m, int n, int k,
                                    float alpha, float[] a, int aOff, int lda, long aBatchStride,
                                    float[] b, int bOff, int ldb, long bBatchStride,
                                    boolean accumulate, float[] c, int cOff, int ldc, long cBatchStride) {
        Objects.requireNonNull(pool, "pool");
        if (batch < 0) throw new IllegalArgumentException("batch must be >= 0, got " + batch);
        checkShape(m, n, k);
        if (batch == 0) return;
        // Offsets are linear in the item index, so the first and last items bound all the others.
        checkBatchItem(0, transA, transB, m, n, k, a, aOff, lda, aBatchStride, b, bOff, ldb, bBatchStride,
                c, cOff, ldc, cBatchStride);
        checkBatchItem(batch - 1, transA, transB, m, n, k, a, aOff, lda, aBatchStride, b, bOff, ldb, bBatchStride,
                c, cOff, ldc, cBatchStride);
        if (m == 0 || n == 0) return;
        long fmas = (long) m * n * k;
        int threads = pool.threads();
        // (k = 0 takes the sgemm path, which clears C.)
        boolean perProduct = threads > 1 && batch >= 2 * threads && k > 0 && fmas < GemmBlocking.BATCH_SPLIT_MAX_FMAS
                && fmas * batch >= GemmBlocking.PARALLEL_MIN_FMAS;
        if (perProduct) {
            GemmWorkspace.current().batchJob.multiply(pool, batch, transA, transB, m, n, k, alpha,
                    a, aOff, lda, aBatchStride, b, bOff, ldb, bBatchStride, accumulate, c, cOff, ldc, cBatchStride);
        } else {
            for (int i = 0; i < batch; i++)
                sgemm(pool, transA, transB, m, n, k, alpha, a, (int) (aOff + i * aBatchStride), lda,
                        b, (int) (bOff + i * bBatchStride), ldb, accumulate, c, (int) (cOff + i * cBatchStride), ldc);
        }
    }

    private static void checkBatchItem(long i, boolean transA, boolean transB, int m, int n, int k,
                                       float[] a, int aOff, int lda, long aStride, float[] b, int bOff, int ldb,
                                       long bStride, float[] c, int cOff, int ldc, long cStride) {
        checkMatrix("A", a, offset("A", aOff, i, aStride), lda, transA ? k : m, transA ? m : k);
        checkMatrix("B", b, offset("B", bOff, i, bStride), ldb, transB ? n : k, transB ? k : n);
        checkMatrix("C", c, offset("C", cOff, i, cStride), ldc, m, n);
    }

    private static void clear(float[] c, int cOff, int ldc, int m, int n) {
        for (int i = 0; i < m; i++) Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
    }

    private static void checkShape(int m, int n, int k) {
        if (m < 0 || n < 0 || k < 0)
            throw new IllegalArgumentException("negative dimension: m=" + m + " n=" + n + " k=" + k);
    }

    private static int offset(String name, int off, long item, long stride) {
        long o = off + item * stride;
        if (o < 0 || o > Integer.MAX_VALUE)
            throw new IndexOutOfBoundsException(name + " of batch item " + item + " starts at " + o);
        return (int) o;
    }

    /** Checks that a rows×cols matrix at {@code off} with leading dimension {@code ld} lies inside {@code x}. */
    private static void checkMatrix(String name, float[] x, int off, int ld, int rows, int cols) {
        Objects.requireNonNull(x, name);
        if (ld < Math.max(1, cols))
            throw new IllegalArgumentException("ld" + name.toLowerCase() + "=" + ld + " < " + cols + " columns");
        if (rows == 0 || cols == 0) return;
        long end = off + (long) (rows - 1) * ld + cols;
        if (off < 0 || end > x.length)
            throw new IndexOutOfBoundsException(name + ": " + rows + "×" + cols + " at offset " + off + " with ld "
                    + ld + " needs " + end + " floats, array has " + x.length);
    }
}
