package dev.nanolab.cpu.kernels;

import static dev.nanolab.cpu.memory.CpuStorage.floats;

import dev.nanolab.api.backend.Gemm;
import dev.nanolab.api.backend.GemmOperand;
import dev.nanolab.cpu.gemm.Sgemm;
import dev.nanolab.cpu.parallel.WorkerPool;
import java.util.Arrays;

/**
 * The backend's matrix multiply: contiguous operands handed to {@link Sgemm}, except products of a handful of rows
 * (one new token in a KV-cached decoder), where packing the weight would cost as much as the product: those run as
 * dot products (x·Wᵀ) or row updates (x·W) straight from the operands.
 */
public final class CpuGemm implements Gemm {
    /** At most this many rows take the unpacked path. */
    static final int SMALL_M = 4;
    private final WorkerPool pool;

    public CpuGemm(WorkerPool pool) {
        this.pool = pool;
    }

    private void smallM(int m, int n, int k, float alpha, float[] a, int ao, float[] b, int bo, boolean transB, float[] c,
                        int co, boolean accumulate) {
        if (transB) {
            // C[i][j] = alpha · A[i,:]·B[j,:], B stored n×k: contiguous dot products.
            pool.parallelFor(n, (long) m * k, CpuPointwise.PARALLEL_MIN, (from, to) -> {
                for (int i = 0; i < m; i++)
                    for (int j = from; j < to; j++) {
                        float v = alpha * Vec.dot(a, ao + i * k, b, bo + j * k, k);
                        int ci = co + i * n + j;
                        c[ci] = accumulate ? c[ci] + v : v;
                    }
            });
        } else {
            // C[i,:] = alpha · Σ_p A[i][p]·B[p,:], B stored k×n: each row of B added into C's row, by column chunks.
            int chunk = 256;
            int chunks = (n + chunk - 1) / chunk;
            pool.parallelFor(chunks, (long) m * k * chunk, CpuPointwise.PARALLEL_MIN, (from, to) -> {
                for (int cc = from; cc < to; cc++) {
                    int j0 = cc * chunk, len = Math.min(chunk, n - j0);
                    for (int i = 0; i < m; i++) {
                        int ci = co + i * n + j0;
                        if (!accumulate) Arrays.fill(c, ci, ci + len, 0f);
                        for (int p = 0; p < k; p++) Vec.axpy(alpha * a[ao + i * k + p], b, bo + p * n + j0, c, ci, len);
                    }
                }
            });
        }
    }

    @Override
    public void matmul(int batch, int m, int n, int k, float alpha, GemmOperand ga, GemmOperand gb, GemmOperand gc,
                       boolean accumulate) {
        if (gc.transposed()) throw new IllegalArgumentException("the GEMM output cannot be transposed");
        float[] a = floats(ga.storage()), b = floats(gb.storage()), c = floats(gc.storage());
        boolean transA = ga.transposed(), transB = gb.transposed();
        int lda = transA ? m : k, ldb = transB ? k : n;
        if (batch == 1 && m <= SMALL_M && !transA) {
            smallM(m, n, k, alpha, a, (int) ga.offset(), b, (int) gb.offset(), transB, c, (int) gc.offset(), accumulate);
            return;
        }
        Sgemm.sgemmBatched(pool, batch, transA, transB, m, n, k, alpha, a, (int) ga.offset(), lda, ga.batchStride(), b,
                (int) gb.offset(), ldb, gb.batchStride(), accumulate, c, (int) gc.offset(), n, gc.batchStride());
    }
}
