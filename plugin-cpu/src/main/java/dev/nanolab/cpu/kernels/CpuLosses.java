package dev.nanolab.cpu.kernels;

import static dev.nanolab.cpu.memory.CpuStorage.floats;
import static dev.nanolab.cpu.memory.CpuStorage.ints;

import dev.nanolab.api.backend.Losses;
import dev.nanolab.api.backend.Storage;
import dev.nanolab.cpu.parallel.WorkerPool;
import jdk.incubator.vector.FloatVector;

/** Fused log-softmax + cross-entropy. */
public final class CpuLosses implements Losses {
    private final WorkerPool pool;

    public CpuLosses(WorkerPool pool) {
        this.pool = pool;
    }

    @Override
    public void crossEntropy(Storage logitStorage, Storage targetStorage, Storage lseStorage, Storage lossStorage,
                             int rows, int vocab, int ignoreIndex) {
        float[] logits = floats(logitStorage), lse = floats(lseStorage), loss = floats(lossStorage);
        int[] targets = ints(targetStorage);
        float[] rowLoss = Scratch.get(7, rows);
        checkTargets(targets, rows, vocab, ignoreIndex);
        CrossEntropyRows ce = rows(vocab, ignoreIndex);
        pool.parallelFor(rows, 3L * vocab, CpuPointwise.PARALLEL_MIN, (from, to) -> ce.losses(logits, targets, lse, rowLoss, from, to));
        loss[0] = meanOfCounted(rowLoss, targets, rows, ignoreIndex);
    }

    /** The per-row loops of the plain cross-entropy, for a vocabulary and an ignored target. */
    static CrossEntropyRows rows(int vocab, int ignoreIndex) {
        return new CrossEntropyRows() {
            @Override
            public void losses(float[] logits, int[] targets, float[] lse, float[] rowLoss, int from, int to) {
                for (int r = from; r < to; r++) {
                    int o = r * vocab;
                    float m = Vec.max(logits, o, vocab);
                    float z = m + (float) StrictMath.log(Vec.sumExpShift(logits, o, vocab, m));
                    lse[r] = z;
                    rowLoss[r] = targets[r] == ignoreIndex ? 0f : z - logits[o + targets[r]];
                }
            }

            @Override
            public void gradients(float[] logits, int[] targets, float[] lse, float scale, float[] dLogits, boolean accumulate,
                                  int from, int to) {
                for (int r = from; r < to; r++) {
                    int o = r * vocab;
                    int t = targets[r];
                    float sc = t == ignoreIndex ? 0f : scale;
                    FloatVector vz = FloatVector.broadcast(Vec.S, lse[r]);
                    int i = 0;
                    for (int bound = Vec.S.loopBound(vocab); i < bound; i += Vec.W) {
                        FloatVector g = VecMath.exp(FloatVector.fromArray(Vec.S, logits, o + i).sub(vz)).mul(sc);
                        if (accumulate) g = g.add(FloatVector.fromArray(Vec.S, dLogits, o + i));
                        g.intoArray(dLogits, o + i);
                    }
                    for (; i < vocab; i++) {
                        float g = VecMath.exp(logits[o + i] - lse[r]) * sc;
                        dLogits[o + i] = accumulate ? dLogits[o + i] + g : g;
                    }
                    if (t != ignoreIndex) dLogits[o + t] -= sc;
                }
            }
        };
    }

    /** The mean of the counted rows' losses (0 when none counts), summed in row order in double: the same bits for any thread count. */
    static float meanOfCounted(float[] rowLoss, int[] targets, int rows, int ignoreIndex) {
        double sum = 0;
        int count = 0;
        for (int r = 0; r < rows; r++) {
            if (targets[r] == ignoreIndex) continue;
            sum += rowLoss[r];
            count++;
        }
        return count == 0 ? 0f : (float) (sum / count);
    }

    /** dLoss / count of counted rows (0 when none counts): each counted row's share of the mean's gradient. */
    static float gradientScale(float dLoss, int[] targets, int rows, int ignoreIndex) {
        int count = counted(targets, rows, ignoreIndex);
        return count == 0 ? 0f : dLoss / count;
    }

    /** How many of the first {@code rows} targets are not {@code ignoreIndex}. */
    static int counted(int[] targets, int rows, int ignoreIndex) {
        int count = 0;
        for (int r = 0; r < rows; r++) if (targets[r] != ignoreIndex) count++;
        return count;
    }

    static void checkTargets(int[] targets, int rows, int vocab, int ignoreIndex) {
        for (int r = 0; r < rows; r++) {
            int t = targets[r];
            if (t != ignoreIndex && (t < 0 || t >= vocab))
                throw new IllegalArgumentException("crossEntropy: target " + t + " at row " + r + " is outside the vocabulary [0, " + vocab + ")");
        }
    }

    @Override
    public void crossEntropyBackward(Storage logitStorage, Storage targetStorage, Storage lseStorage, Storage dLossStorage,
                                     Storage dLogitStorage, int rows, int vocab, int ignoreIndex, boolean accumulate) {
        float[] logits = floats(logitStorage), lse = floats(lseStorage), dLogits = floats(dLogitStorage);
        int[] targets = ints(targetStorage);
        float scale = gradientScale(floats(dLossStorage)[0], targets, rows, ignoreIndex);
        CrossEntropyRows ce = rows(vocab, ignoreIndex);
        pool.parallelFor(rows, 3L * vocab, CpuPointwise.PARALLEL_MIN,
                (from, to) -> ce.gradients(logits, targets, lse, scale, dLogits, accumulate, from, to));
    }
}
