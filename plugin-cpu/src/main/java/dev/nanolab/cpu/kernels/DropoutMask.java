package dev.nanolab.cpu.kernels;

import dev.nanolab.api.backend.Dropout;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Dropout#keep}'s counter-based mask as multipliers, a vector of indices at a time: SplitMix64 on long lanes,
 * and the keep test k·2⁻²⁴ ≥ p as the integer compare k ≥ ⌈p·2²⁴⌉ (exact: k has 24 bits and p·2²⁴ is exact in
 * float). Why: the scalar hash per element made dropout, and attention with dropout, the slowest kernels of a
 * shakespeare-char step. The same bits as {@link Dropout#keep}, element by element (tested).
 */
final class DropoutMask {
    private static final VectorSpecies<Long> L = LongVector.SPECIES_PREFERRED;
    /** The float species with as many lanes as L, which a long-to-float conversion lands in. */
    private static final VectorSpecies<Float> F = VectorSpecies.of(float.class, VectorShape.forBitSize(L.length() * 32));
    private static final int N = L.length();

    private DropoutMask() {}

    /** m[o + t] = keep(seed, first + t, p) ? scale : 0 for t &lt; n. */
    static void multipliers(long seed, long first, int n, float p, float scale, float[] m, int o) {
        long threshold = (long) Math.ceil(p * 0x1.0p24f);
        LongVector lane = LongVector.zero(L).addIndex(1);
        int t = 0;
        for (; t + N <= n; t += N) {
            LongVector z = lane.add(first + t + 1).mul(0x9E3779B97F4A7C15L).add(seed);
            z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 30)).mul(0xBF58476D1CE4E5B9L);
            z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 27)).mul(0x94D049BB133111EBL);
            z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 31));
            VectorMask<Long> keep = z.lanewise(VectorOperators.LSHR, 40).compare(VectorOperators.GE, threshold);
            FloatVector kept = (FloatVector) LongVector.zero(L).blend(1L, keep).convertShape(VectorOperators.L2F, F, 0);
            kept.mul(scale).intoArray(m, o + t);
        }
        for (; t < n; t++) m[o + t] = Dropout.keep(seed, first + t, p) ? scale : 0f;
    }
}
