package dev.nanolab.cpu.kernels;

import static dev.nanolab.cpu.memory.CpuStorage.floats;
import static dev.nanolab.cpu.memory.CpuStorage.floatsOrNull;
import static dev.nanolab.cpu.memory.CpuStorage.ints;

import dev.nanolab.api.backend.Storage;
import dev.nanolab.api.backend.ext.LinearCrossEntropyKernels;
import dev.nanolab.cpu.gemm.Sgemm;
import dev.nanolab.cpu.parallel.WorkerPool;
import java.util.Arrays;

/**
 * The LM head fused with its cross-entropy, a block of rows at a time. Per block of n rows starting at r0:
 * <pre>
 *   z  = x[r0:r0+n] · Wᵀ                          (n, V)  the block's logits, in a scratch buffer
 *   lse, loss rows                                        the cross-entropy's forward (plain or softcapped)
 *   z  ← (softmax − onehot) / count (· ds/dz)             its backward, over z in place
 *   dx[r0:r0+n] = z · W                           (n, C)
 *   dW (+)= zᵀ · x[r0:r0+n]                       (V, C)  accumulated over the blocks in block order
 * </pre>
 * The same GEMM and row loops as the unfused path ({@link Sgemm}, {@link CrossEntropyRows}); only the order of dW's
 * sum differs (blocks of rows instead of one product over all rows), so results agree with the unfused path to float
 * rounding and are the same run to run and for any thread count. LinearCrossEntropyTest checks both paths and
 * double-precision finite differences.
 */
public final class LinearCrossEntropy implements LinearCrossEntropyKernels {
    /**
     * A block holds at least this many logits (32 MB), so a small vocabulary still multiplies in GEMMs of a useful
     * size and the blocks cost no more than one pass of the unfused path.
     */
    public static final long MIN_BLOCK_LOGITS = 1L << 23;

    private final WorkerPool pool;
    private final long minBlockLogits;

    public LinearCrossEntropy(WorkerPool pool) {
        this(pool, MIN_BLOCK_LOGITS);
    }

    /** With another floor on a block's logits: tests make blocks of a few rows with it. */
    public LinearCrossEntropy(WorkerPool pool, long minBlockLogits) {
        if (minBlockLogits < 1) throw new IllegalArgumentException("minBlockLogits must be positive, got " + minBlockLogits);
        this.pool = pool;
        this.minBlockLogits = minBlockLogits;
    }

    /**
     * At least as many rows as the head has channels, so a block's logits are no smaller than W's gradient buffer
     * (V, C) that the fused path keeps beside them: with fewer rows the whole logits would cost less than the fusion.
     */
    @Override
    public int blockRows(int channels, int vocab) {
        long rows = Math.max(channels, (minBlockLogits + vocab - 1) / vocab);
        return (int) Math.max(1, Math.min(rows, Integer.MAX_VALUE / vocab));
    }

    @Override
    public void lossAndGradients(Storage xs, Storage ws, Storage targetStorage, Storage lossStorage, Storage dxs,
                                 Storage dws, Head head) {
        float[] x = floats(xs), w = floats(ws), loss = floats(lossStorage), dx = floatsOrNull(dxs), dw = floatsOrNull(dws);
        int[] targets = ints(targetStorage);
        int rows = head.rows(), c = head.channels(), v = head.vocab(), ignore = head.ignoreIndex();
        CpuLosses.checkTargets(targets, rows, v, ignore);
        int count = CpuLosses.counted(targets, rows, ignore);
        float scale = count == 0 ? 0f : 1f / count;
        CrossEntropyRows ce = head.softcap() == null ? CpuLosses.rows(v, ignore) : SoftcappedCrossEntropy.rows(v, ignore, head.softcap());
        boolean grads = dx != null || dw != null;
        if (rows == 0 && dw != null) Arrays.fill(dw, 0, v * c, 0f);

        int block = Math.min(rows, blockRows(c, v));
        float[] z = Scratch.get(0, block * v), lse = Scratch.get(1, block), rowLoss = Scratch.get(2, block);
        int[] blockTargets = new int[block];
        double sum = 0;
        for (int r0 = 0; r0 < rows; r0 += block) {
            int n = Math.min(block, rows - r0);
            System.arraycopy(targets, r0, blockTargets, 0, n);
            Sgemm.sgemm(pool, false, true, n, v, c, 1f, x, r0 * c, c, w, 0, c, false, z, 0, v);
            pool.parallelFor(n, 4L * v, CpuPointwise.PARALLEL_MIN, (from, to) -> ce.losses(z, blockTargets, lse, rowLoss, from, to));
            // Summed in row order in double, as the unfused kernels' mean.
            for (int r = 0; r < n; r++) if (blockTargets[r] != ignore) sum += rowLoss[r];
            if (!grads) continue;
            pool.parallelFor(n, 4L * v, CpuPointwise.PARALLEL_MIN, (from, to) -> ce.gradients(z, blockTargets, lse, scale, z, false, from, to));
            if (dx != null) Sgemm.sgemm(pool, false, false, n, c, v, 1f, z, 0, v, w, 0, c, false, dx, r0 * c, c);
            if (dw != null) Sgemm.sgemm(pool, true, false, v, c, n, 1f, z, 0, v, x, r0 * c, c, r0 > 0, dw, 0, c);
        }
        loss[0] = count == 0 ? 0f : (float) (sum / count);
    }
}
