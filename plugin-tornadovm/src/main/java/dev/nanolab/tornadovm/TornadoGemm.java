package dev.nanolab.tornadovm;

import dev.nanolab.api.backend.Gemm;
import dev.nanolab.api.backend.GemmOperand;
import dev.nanolab.api.backend.Storage;
import dev.nanolab.tornadovm.kernels.KGemm;

/** The tiled matmul kernel (64×64 tiles, 4×4 per thread), all batches in one launch. */
final class TornadoGemm extends Ops implements Gemm {
    TornadoGemm(TornadoBackend backend) {
        super(backend);
    }

    @Override
    public void matmul(int batch, int m, int n, int k, float alpha, GemmOperand ga, GemmOperand gb, GemmOperand gc,
                       boolean accumulate) {
        if (gc.transposed()) throw new IllegalArgumentException("the GEMM output cannot be transposed");
        if (batch == 0 || m == 0 || n == 0) return;
        Storage a = ga.storage(), b = gb.storage(), c = gc.storage();
        long aOffset = ga.offset(), bOffset = gb.offset(), cOffset = gc.offset();
        long aBatchStride = ga.batchStride(), bBatchStride = gb.batchStride(), cBatchStride = gc.batchStride();
        boolean transA = ga.transposed(), transB = gb.transposed();
        long aSpan = (batch - 1L) * aBatchStride + (long) m * k, bSpan = (batch - 1L) * bBatchStride + (long) k * n;
        long cSpan = (batch - 1L) * cBatchStride + (long) m * n;
        int ao = f(a, aOffset, aSpan), bo = f(b, bOffset, bSpan), co = f(c, cOffset, cSpan);
        int t = KGemm.TILE;
        long tilesN = (n + t - 1) / t, tilesM = ((long) m + t - 1) / t * batch;
        launch(KernelCall.tiles(Kernel.MATMUL, tilesN, tilesM, KGemm.THREADS,
                ints(batch, m, n, k, ao, intSize(aBatchStride, "stride"), flag(transA), bo, intSize(bBatchStride, "stride"),
                        flag(transB), co, intSize(cBatchStride, "stride"), flag(accumulate)), alpha));
    }
}
