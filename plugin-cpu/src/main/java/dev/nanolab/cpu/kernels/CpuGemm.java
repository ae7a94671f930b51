package dev.nanolab.cpu.kernels;

import static dev.nanolab.cpu.memory.CpuStorage.floats;

import dev.nanolab.api.backend.Gemm;
import dev.nanolab.api.backend.Storage;
import dev.nanolab.cpu.gemm.Sgemm;
import dev.nanolab.cpu.parallel.WorkerPool;

/** The backend's matrix multiply: contiguous operands handed to {@link Sgemm}. */
public final class CpuGemm implements Gemm {
    private final WorkerPool pool;

    public CpuGemm(WorkerPool pool) {
        this.pool = pool;
    }

    @Override
    public void matmul(int batch, int m, int n, int k, float alpha, Storage as, long aOffset, long aBatchStride,
                       boolean transA, Storage bs, long bOffset, long bBatchStride, boolean transB, Storage cs,
                       long cOffset, long cBatchStride, boolean accumulate) {
        float[] a = floats(as), b = floats(bs), c = floats(cs);
        int lda = transA ? m : k, ldb = transB ? k : n;
        if (batch == 1)
            Sgemm.sgemm(pool, transA, transB, m, n, k, alpha, a, (int) aOffset, lda, b, (int) bOffset, ldb, accumulate, c,
                    (int) cOffset, n);
        else
            Sgemm.sgemmBatched(pool, batch, transA, transB, m, n, k, alpha, a, (int) aOffset, lda, aBatchStride, b,
                    (int) bOffset, ldb, bBatchStride, accumulate, c, (int) cOffset, n, cBatchStride);
    }
}
