package dev.nanolab.cpu.kernels;

import static dev.nanolab.cpu.memory.CpuStorage.floats;

import dev.nanolab.api.backend.Dropout;
import dev.nanolab.api.backend.Storage;
import dev.nanolab.cpu.parallel.WorkerPool;

/** Inverted dropout with the counter-based mask of {@link Dropout#keep}. */
public final class CpuDropout implements Dropout {
    private final WorkerPool pool;

    public CpuDropout(WorkerPool pool) {
        this.pool = pool;
    }

    @Override
    public void dropout(Storage xs, Storage ys, long n, float p, long seed) {
        float[] x = floats(xs), y = floats(ys);
        float scale = 1f / (1f - p);
        pool.parallelFor((int) n, 8, CpuPointwise.PARALLEL_MIN, (from, to) -> {
            for (int i = from; i < to; i++) y[i] = Dropout.keep(seed, i, p) ? x[i] * scale : 0f;
        });
    }

    @Override
    public void dropoutBackward(Storage dys, Storage dxs, long n, float p, long seed, boolean accumulate) {
        float[] dy = floats(dys), dx = floats(dxs);
        float scale = 1f / (1f - p);
        pool.parallelFor((int) n, 8, CpuPointwise.PARALLEL_MIN, (from, to) -> {
            for (int i = from; i < to; i++) {
                float g = Dropout.keep(seed, i, p) ? dy[i] * scale : 0f;
                dx[i] = accumulate ? dx[i] + g : g;
            }
        });
    }
}
