package dev.nanolab.cpu.kernels;

import static dev.nanolab.cpu.memory.CpuStorage.floats;
import static dev.nanolab.cpu.memory.CpuStorage.ints;

import dev.nanolab.api.backend.LogitSoftcap;
import dev.nanolab.api.backend.Storage;
import dev.nanolab.api.backend.ext.SoftcappedLossKernels;
import dev.nanolab.cpu.parallel.WorkerPool;
import jdk.incubator.vector.FloatVector;

/**
 * Cross-entropy over softcapped logits, s = softcap(z), fused: per row one pass for the forward and one for the
 * backward over z (rows, vocab), the cap recomputed on the fly. The reference is the composition the model used before
 * (scale, tanh or sigmoid, scale, then {@link CpuLosses}); SoftcappedCrossEntropyTest holds both to 1e-5.
 *
 * <p>Every capped logit is at most cap, so for cap ≤ 40 the log-sum-exp shifts by cap itself (exp(s − cap) ≥ e^−80
 * stays a normal float) and the forward needs no max pass; a larger cap takes the max of s first.
 */
public final class SoftcappedCrossEntropy implements SoftcappedLossKernels {
    private static final float FIXED_SHIFT_MAX_CAP = 40f;

    private final WorkerPool pool;

    public SoftcappedCrossEntropy(WorkerPool pool) {
        this.pool = pool;
    }

    @Override
    public void crossEntropy(Storage logitStorage, Storage targetStorage, Storage lseStorage, Storage lossStorage,
                             int rows, int vocab, int ignoreIndex, LogitSoftcap softcap) {
        float[] z = floats(logitStorage), lse = floats(lseStorage), loss = floats(lossStorage);
        int[] targets = ints(targetStorage);
        float[] rowLoss = Scratch.get(7, rows);
        CpuLosses.checkTargets(targets, rows, vocab, ignoreIndex);
        CrossEntropyRows ce = rows(vocab, ignoreIndex, softcap);
        pool.parallelFor(rows, 4L * vocab, CpuPointwise.PARALLEL_MIN, (from, to) -> ce.losses(z, targets, lse, rowLoss, from, to));
        loss[0] = CpuLosses.meanOfCounted(rowLoss, targets, rows, ignoreIndex);
    }

    @Override
    public void crossEntropyBackward(Storage logitStorage, Storage targetStorage, Storage lseStorage, Storage dLossStorage,
                                     Storage dLogitStorage, int rows, int vocab, int ignoreIndex, LogitSoftcap softcap,
                                     boolean accumulate) {
        float[] z = floats(logitStorage), lse = floats(lseStorage), dz = floats(dLogitStorage);
        int[] targets = ints(targetStorage);
        float scale = CpuLosses.gradientScale(floats(dLossStorage)[0], targets, rows, ignoreIndex);
        CrossEntropyRows ce = rows(vocab, ignoreIndex, softcap);
        pool.parallelFor(rows, 4L * vocab, CpuPointwise.PARALLEL_MIN,
                (from, to) -> ce.gradients(z, targets, lse, scale, dz, accumulate, from, to));
    }

    /** The per-row loops over raw logits z, the cap applied on the fly. */
    static CrossEntropyRows rows(int vocab, int ignoreIndex, LogitSoftcap softcap) {
        boolean sigmoid = softcap.kind() == LogitSoftcap.Kind.SIGMOID;
        float cap = softcap.cap(), invCap = 1f / cap;
        return new CrossEntropyRows() {
            @Override
            public void losses(float[] z, int[] targets, float[] lse, float[] rowLoss, int from, int to) {
                for (int r = from; r < to; r++) {
                    int o = r * vocab;
                    float shift = cap <= FIXED_SHIFT_MAX_CAP ? cap : maxCapped(z, o, vocab, sigmoid, cap);
                    float m = shift + (float) StrictMath.log(sumExpCapped(z, o, vocab, sigmoid, cap, shift));
                    lse[r] = m;
                    rowLoss[r] = targets[r] == ignoreIndex ? 0f : m - capped(z[o + targets[r]], sigmoid, cap);
                }
            }

            @Override
            public void gradients(float[] z, int[] targets, float[] lse, float scale, float[] dz, boolean accumulate, int from, int to) {
                for (int r = from; r < to; r++) {
                    int o = r * vocab;
                    int t = targets[r];
                    float sc = t == ignoreIndex ? 0f : scale;
                    // The one-hot's part, −sc · ds/dz at the target: its slope is read before dz may overwrite z.
                    float targetSlope = t == ignoreIndex ? 0f : slope(unit(z[o + t], sigmoid, invCap), sigmoid);
                    FloatVector vl = FloatVector.broadcast(Vec.S, lse[r]);
                    int i = 0;
                    for (int bound = Vec.S.loopBound(vocab); i < bound; i += Vec.W) {
                        FloatVector u = unit(FloatVector.fromArray(Vec.S, z, o + i), sigmoid, invCap);
                        FloatVector s = u.mul(cap);
                        FloatVector g = VecMath.exp(s.sub(vl)).mul(sc).mul(slope(u, sigmoid));
                        if (accumulate) g = g.add(FloatVector.fromArray(Vec.S, dz, o + i));
                        g.intoArray(dz, o + i);
                    }
                    for (; i < vocab; i++) {
                        float u = unit(z[o + i], sigmoid, invCap);
                        float g = VecMath.exp(u * cap - lse[r]) * sc * slope(u, sigmoid);
                        dz[o + i] = accumulate ? dz[o + i] + g : g;
                    }
                    if (t != ignoreIndex) dz[o + t] -= sc * targetSlope;
                }
            }
        };
    }

    // s = cap·u with u = tanh(z/cap) or σ(4z/cap); ds/dz = 1 − u² or 4u(1 − u). Scalar and vector do the same
    // operations in the same order, so a row's tail matches its body.

    private static FloatVector unit(FloatVector z, boolean sigmoid, float invCap) {
        if (sigmoid) return FloatVector.broadcast(Vec.S, 1f).div(VecMath.exp(z.mul(-4f * invCap)).add(1f));
        return VecMath.tanh(z.mul(invCap));
    }

    private static float unit(float z, boolean sigmoid, float invCap) {
        return sigmoid ? 1f / (VecMath.exp(z * (-4f * invCap)) + 1f) : VecMath.tanh(z * invCap);
    }

    private static FloatVector slope(FloatVector u, boolean sigmoid) {
        FloatVector one = FloatVector.broadcast(Vec.S, 1f);
        return sigmoid ? u.mul(4f).mul(one.sub(u)) : one.sub(u.mul(u));
    }

    private static float slope(float u, boolean sigmoid) {
        return sigmoid ? u * 4f * (1f - u) : 1f - u * u;
    }

    static float capped(float z, boolean sigmoid, float cap) {
        return unit(z, sigmoid, 1f / cap) * cap;
    }

    private static float sumExpCapped(float[] z, int o, int n, boolean sigmoid, float cap, float shift) {
        float invCap = 1f / cap;
        FloatVector acc = FloatVector.zero(Vec.S);
        int i = 0;
        for (int bound = Vec.S.loopBound(n); i < bound; i += Vec.W)
            acc = acc.add(VecMath.exp(unit(FloatVector.fromArray(Vec.S, z, o + i), sigmoid, invCap).mul(cap).sub(shift)));
        float s = VecMath.hsum(acc);
        for (; i < n; i++) s += VecMath.exp(unit(z[o + i], sigmoid, invCap) * cap - shift);
        return s;
    }

    private static float maxCapped(float[] z, int o, int n, boolean sigmoid, float cap) {
        // softcap is increasing, so the largest capped logit is the cap of the largest z.
        return capped(Vec.max(z, o, n), sigmoid, cap);
    }
}
