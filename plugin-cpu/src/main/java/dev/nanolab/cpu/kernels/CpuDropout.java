package dev.nanolab.cpu.kernels;

import static dev.nanolab.cpu.memory.CpuStorage.floats;

import dev.nanolab.api.backend.Dropout;
import dev.nanolab.api.backend.Storage;
import dev.nanolab.cpu.parallel.WorkerPool;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/** Inverted dropout with the counter-based mask of {@link Dropout#keep}. */
public final class CpuDropout implements Dropout {
    private final WorkerPool pool;

    public CpuDropout(WorkerPool pool) {
        this.pool = pool;
    }

    /** Multipliers per chunk of a task's range: small enough for L1 beside the operands' vectors. */
    private static final int CHUNK = 1024;

    @Override
    public void dropout(Storage xs, Storage ys, long n, float p, long seed) {
        float[] x = floats(xs), y = floats(ys);
        float scale = 1f / (1f - p);
        pool.parallelFor((int) n, 8, CpuPointwise.PARALLEL_MIN, (from, to) -> {
            float[] m = new float[CHUNK];
            for (int c = from; c < to; c += CHUNK) {
                int len = Math.min(CHUNK, to - c), i = 0;
                DropoutMask.multipliers(seed, c, len, p, scale, m, 0);
                // keep ? x·scale : 0, as Dropout's rule says: a dropped NaN or infinity gives 0, not x·0.
                for (int bound = Vec.S.loopBound(len); i < bound; i += Vec.W) {
                    FloatVector mv = FloatVector.fromArray(Vec.S, m, i);
                    FloatVector.fromArray(Vec.S, x, c + i).mul(scale).blend(0f, mv.compare(VectorOperators.EQ, 0f))
                            .intoArray(y, c + i);
                }
                for (; i < len; i++) y[c + i] = m[i] != 0f ? x[c + i] * scale : 0f;
            }
        });
    }

    @Override
    public void dropoutBackward(Storage dys, Storage dxs, long n, float p, long seed, boolean accumulate) {
        float[] dy = floats(dys), dx = floats(dxs);
        float scale = 1f / (1f - p);
        pool.parallelFor((int) n, 8, CpuPointwise.PARALLEL_MIN, (from, to) -> {
            float[] m = new float[CHUNK];
            for (int c = from; c < to; c += CHUNK) {
                int len = Math.min(CHUNK, to - c), i = 0;
                DropoutMask.multipliers(seed, c, len, p, scale, m, 0);
                for (int bound = Vec.S.loopBound(len); i < bound; i += Vec.W) {
                    FloatVector mv = FloatVector.fromArray(Vec.S, m, i);
                    FloatVector g = FloatVector.fromArray(Vec.S, dy, c + i).mul(scale)
                            .blend(0f, mv.compare(VectorOperators.EQ, 0f));
                    if (accumulate) g = FloatVector.fromArray(Vec.S, dx, c + i).add(g);
                    g.intoArray(dx, c + i);
                }
                for (; i < len; i++) {
                    float g = m[i] != 0f ? dy[c + i] * scale : 0f;
                    dx[c + i] = accumulate ? dx[c + i] + g : g;
                }
            }
        });
    }
}
