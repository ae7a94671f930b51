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
        keptScaled(floats(xs), floats(ys), n, p, seed, false);
    }

    /** The backward is the forward's own map applied to dy: dx (+)= keep ? dy·scale : 0. */
    @Override
    public void dropoutBackward(Storage dys, Storage dxs, long n, float p, long seed, boolean accumulate) {
        keptScaled(floats(dys), floats(dxs), n, p, seed, accumulate);
    }

    /**
     * dst[i] (+)= keep(seed, i, p) ? src[i]·scale : 0, as Dropout's rule says: a dropped NaN or infinity gives 0, not
     * src·0. The mask comes a chunk at a time from {@link DropoutMask}.
     */
    private void keptScaled(float[] src, float[] dst, long n, float p, long seed, boolean accumulate) {
        float scale = 1f / (1f - p);
        pool.parallelFor((int) n, 8, CpuPointwise.PARALLEL_MIN, (from, to) -> {
            float[] m = Scratch.get(0, CHUNK);
            for (int c = from; c < to; c += CHUNK) {
                int len = Math.min(CHUNK, to - c), i = 0;
                DropoutMask.multipliers(seed, c, len, p, scale, m, 0);
                for (int bound = Vec.S.loopBound(len); i < bound; i += Vec.W) {
                    FloatVector g = FloatVector.fromArray(Vec.S, src, c + i).mul(scale)
                            .blend(0f, FloatVector.fromArray(Vec.S, m, i).compare(VectorOperators.EQ, 0f));
                    if (accumulate) g = FloatVector.fromArray(Vec.S, dst, c + i).add(g);
                    g.intoArray(dst, c + i);
                }
                for (; i < len; i++) {
                    float g = m[i] != 0f ? src[c + i] * scale : 0f;
                    dst[c + i] = accumulate ? dst[c + i] + g : g;
                }
            }
        });
    }
}
