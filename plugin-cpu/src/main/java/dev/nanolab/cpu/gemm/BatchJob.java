package dev.nanolab.cpu.gemm;

import dev.nanolab.cpu.parallel.WorkerPool;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A batch of small products spread over the workers, one whole product per task, each computed serially by the
 * thread that takes it (with that thread's own buffers). Reused across calls (one per thread, in
 * {@link GemmWorkspace}).
 */
final class BatchJob implements WorkerPool.Region {
    private final AtomicInteger nextItem = new AtomicInteger();

    private int batch, m, n, k, aOff, lda, bOff, ldb, cOff, ldc;
    private long aStride, bStride, cStride;
    private boolean transA, transB, accumulate;
    private float alpha;
    private float[] a, b, c;

    void multiply(WorkerPool pool, int batch, boolean transA, boolean transB, int m, int n, int k, float alpha,
                  float[] a, int aOff, int lda, long aStride, float[] b, int bOff, int ldb, long bStride,
                  boolean accumulate, float[] c, int cOff, int ldc, long cStride) {
        this.batch = batch; this.transA = transA; this.transB = transB; this.m = m; this.n = n; this.k = k;
        this.alpha = alpha; this.a = a; this.aOff = aOff; this.lda = lda; this.aStride = aStride;
        this.b = b; this.bOff = bOff; this.ldb = ldb; this.bStride = bStride;
        this.accumulate = accumulate; this.c = c; this.cOff = cOff; this.ldc = ldc; this.cStride = cStride;
        try {
            nextItem.set(0);
            pool.runShared(this);
        } finally {
            this.a = null; this.b = null; this.c = null;
        }
    }

    @Override
    public void run(int worker, int workers) {
        GemmJob job = GemmWorkspace.current().job;
        for (int i; (i = nextItem.getAndIncrement()) < batch; ) {
            job.multiply(null, transA, transB, m, n, k, alpha,
                    a, (int) (aOff + i * aStride), lda, b, (int) (bOff + i * bStride), ldb,
                    accumulate, c, (int) (cOff + i * cStride), ldc);
        }
    }
}
