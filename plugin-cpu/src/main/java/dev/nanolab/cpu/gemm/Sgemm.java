package dev.nanolab.cpu.gemm;

import dev.nanolab.cpu.parallel.WorkerPool;

/**
 * Single-precision matrix multiply on row-major float arrays:
 * {@code C[m×n] = alpha · op(A)[m×k] · op(B)[k×n] (+ C if accumulate)}, where {@code op(X)} is X or its transpose.
 *
 * <p>Memory layout (row-major throughout): element (i, j) of a matrix with leading dimension {@code ld} is at
 * {@code off + i*ld + j}. With {@code transA}, A is stored as k×m (so A[p][i] is at {@code aOff + p*lda + i});
 * with {@code transB}, B is stored as n×k.
 *
 * <p>Every element of C is computed by one thread, summing over k in the same order whatever the thread count, so
 * results are bit-identical for any number of threads.
 */
public final class Sgemm {
    private Sgemm() {}

    public static void sgemm(WorkerPool pool, boolean transA, boolean transB, int m, int n, int k, float alpha,
                             float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             boolean accumulate, float[] c, int cOff, int ldc) {
        pool.parallelFor(m, (long) n * k, 1 << 16, (from, to) -> {
            for (int i = from; i < to; i++)
                for (int j = 0; j < n; j++) {
                    float s = 0;
                    for (int p = 0; p < k; p++) {
                        float av = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                        float bv = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                        s += av * bv;
                    }
                    int ci = cOff + i * ldc + j;
                    c[ci] = accumulate ? c[ci] + alpha * s : alpha * s;
                }
        });
    }
}
