package dev.nanolab.cpu.kernels;

import static dev.nanolab.cpu.memory.CpuStorage.floats;
import static dev.nanolab.cpu.memory.CpuStorage.ints;

import dev.nanolab.api.backend.Embeddings;
import dev.nanolab.api.backend.Storage;
import dev.nanolab.cpu.parallel.WorkerPool;
import java.util.Arrays;

/**
 * Embedding lookup and its scatter-add. The backward splits the table's columns between workers, each summing
 * every position in order into its own columns: no two workers touch one value, and the sums do not depend on the
 * thread count.
 */
public final class CpuEmbeddings implements Embeddings {
    private final WorkerPool pool;

    public CpuEmbeddings(WorkerPool pool) {
        this.pool = pool;
    }

    @Override
    public void lookup(Storage idStorage, Storage tableStorage, Storage outStorage, int n, int dim, int vocab) {
        int[] ids = ints(idStorage);
        float[] table = floats(tableStorage), out = floats(outStorage);
        for (int i = 0; i < n; i++)
            if (ids[i] < 0 || ids[i] >= vocab)
                throw new IllegalArgumentException("embedding: id " + ids[i] + " at position " + i + " is outside the vocabulary [0, " + vocab + ")");
        pool.parallelFor(n, dim, CpuPointwise.PARALLEL_MIN, (from, to) -> {
            for (int i = from; i < to; i++) System.arraycopy(table, ids[i] * dim, out, i * dim, dim);
        });
    }

    @Override
    public void lookupBackward(Storage idStorage, Storage dOutStorage, Storage dTableStorage, int n, int dim, int vocab,
                               boolean accumulate) {
        int[] ids = ints(idStorage);
        float[] dOut = floats(dOutStorage), dTable = floats(dTableStorage);
        if (!accumulate) Arrays.fill(dTable, 0, vocab * dim, 0f);
        int parts = (long) n * dim < CpuPointwise.PARALLEL_MIN ? 1 : Math.min(pool.threads(), Math.max(1, dim / 16));
        int cols = (dim + parts - 1) / parts;
        pool.parallelFor(parts, (long) n * dim / parts, 0, (pf, pt) -> {
            for (int p = pf; p < pt; p++) {
                int c0 = p * cols, c1 = Math.min(dim, c0 + cols);
                if (c0 >= c1) continue;
                for (int i = 0; i < n; i++) Vec.axpy(1f, dOut, i * dim + c0, dTable, ids[i] * dim + c0, c1 - c0);
            }
        });
    }
}
