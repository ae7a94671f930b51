package dev.nanolab.cpu.kernels;

import static dev.nanolab.cpu.memory.CpuStorage.floats;

import dev.nanolab.api.backend.CausalMask;
import dev.nanolab.api.backend.Softmax;
import dev.nanolab.api.backend.Storage;
import dev.nanolab.cpu.parallel.WorkerPool;
import java.util.Arrays;

/** Row softmax (with the softmax1 extra term and causal masks) and mask filling. */
public final class CpuSoftmax implements Softmax {
    private final WorkerPool pool;

    public CpuSoftmax(WorkerPool pool) {
        this.pool = pool;
    }

    @Override
    public void softmax(Storage xs, Storage ys, int rows, int cols, CausalMask mask, float extraLogit) {
        float[] x = floats(xs), y = floats(ys);
        int[] starts = MaskRows.startsOf(mask);
        pool.parallelFor(rows, 6L * cols, CpuPointwise.PARALLEL_MIN, (from, to) -> {
            for (int r = from; r < to; r++) {
                int o = r * cols;
                int j0 = mask == null ? 0 : MaskRows.firstKeyOfRow(mask, starts, r);
                int j1 = mask == null ? cols : mask.endKey(r % mask.queries());
                Arrays.fill(y, o, o + Math.max(j0, 0), 0f);
                if (j1 < cols) Arrays.fill(y, o + Math.max(j1, j0), o + cols, 0f);
                if (j1 <= j0) continue;
                softmaxRow(x, o + j0, y, o + j0, j1 - j0, extraLogit);
            }
        });
    }

    /**
     * y = exp(x − m) / (exp(e − m) + Σ exp(x − m)) with m = max(max x, e): shifting by the extra logit too keeps the
     * "1 +" of softmax1 on the same scale as the terms, so neither overflows.
     */
    static void softmaxRow(float[] x, int xo, float[] y, int yo, int n, float extraLogit) {
        float m = Math.max(Vec.max(x, xo, n), extraLogit);
        if (m == Float.NEGATIVE_INFINITY) {
            // Every entry is −∞ and there is no finite extra term: no mass anywhere.
            Arrays.fill(y, yo, yo + n, 0f);
            return;
        }
        System.arraycopy(x, xo, y, yo, n);
        float sum = Vec.expShiftSum(y, yo, n, m);
        if (extraLogit != Float.NEGATIVE_INFINITY) sum += VecMath.exp(extraLogit - m);
        Vec.scale(y, yo, n, 1f / sum);
    }

    @Override
    public void softmaxBackward(Storage ys, Storage dys, Storage dxs, int rows, int cols, boolean accumulate) {
        float[] y = floats(ys), dy = floats(dys), dx = floats(dxs);
        pool.parallelFor(rows, 4L * cols, CpuPointwise.PARALLEL_MIN, (from, to) -> {
            for (int r = from; r < to; r++) {
                int o = r * cols;
                float dot = Vec.dot(y, o, dy, o, cols);
                for (int j = 0; j < cols; j++) {
                    float g = y[o + j] * (dy[o + j] - dot);
                    dx[o + j] = accumulate ? dx[o + j] + g : g;
                }
            }
        });
    }

    @Override
    public void maskFill(Storage xs, Storage ys, int rows, int cols, CausalMask mask, float value) {
        float[] x = floats(xs), y = floats(ys);
        int[] starts = MaskRows.startsOf(mask);
        pool.parallelFor(rows, cols, CpuPointwise.PARALLEL_MIN, (from, to) -> {
            for (int r = from; r < to; r++) {
                int o = r * cols, j0 = MaskRows.firstKeyOfRow(mask, starts, r), j1 = mask.endKey(r % mask.queries());
                for (int j = 0; j < cols; j++) y[o + j] = j >= j0 && j < j1 ? x[o + j] : value;
            }
        });
    }

    @Override
    public void maskFillBackward(Storage dys, Storage dxs, int rows, int cols, CausalMask mask, boolean accumulate) {
        float[] dy = floats(dys), dx = floats(dxs);
        int[] starts = MaskRows.startsOf(mask);
        pool.parallelFor(rows, cols, CpuPointwise.PARALLEL_MIN, (from, to) -> {
            for (int r = from; r < to; r++) {
                int o = r * cols, j0 = MaskRows.firstKeyOfRow(mask, starts, r), j1 = mask.endKey(r % mask.queries());
                for (int j = 0; j < cols; j++) {
                    float g = j >= j0 && j < j1 ? dy[o + j] : 0f;
                    dx[o + j] = accumulate ? dx[o + j] + g : g;
                }
            }
        });
    }
}
