package dev.nanolab.cpu.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * exp and tanh for float vectors and scalars, built from IEEE-exact operations only (add, mul, fma, div,
 * comparisons), after Cephes' expf and tanhf: about 2 ulp.
 *
 * <p>Why not {@code lanewise(EXP)} or {@code Math.exp}: the Vector API's transcendental lanes are computed one way by
 * the interpreter and another by C2's SVML intrinsics, and {@code reduceLanes(ADD)} sums in an unspecified order, so
 * the same kernel gives different bits before and after the JIT compiles it. A run could then not be repeated bit for
 * bit, and a resumed run would not follow the uninterrupted one. Every kernel whose results must be reproducible uses
 * these functions, and {@link #hsum} for horizontal sums; the scalar versions do the same operations in the same
 * order, so a vector loop's tail matches its body.
 */
final class VecMath {
    private VecMath() {}

    private static final float EXP_HI = 88.0f, EXP_INF = 88.72283935546875f, EXP_LO = -87.33654475f;
    private static final float LOG2E = 1.44269504088896341f, C1 = 0.693359375f, C2 = -2.12194440e-4f;
    private static final float ROUND = 12582912f; // 1.5·2^23: adding and subtracting it rounds to an integer
    private static final float P0 = 1.9875691500E-4f, P1 = 1.3981999507E-3f, P2 = 8.3334519073E-3f,
            P3 = 4.1665795894E-2f, P4 = 1.6666665459E-1f, P5 = 5.0000001201E-1f;
    private static final float T0 = -5.70498872745E-3f, T1 = 2.06390887954E-2f, T2 = -5.37397155531E-2f,
            T3 = 1.33314422036E-1f, T4 = -3.33332819422E-1f;

    static FloatVector exp(FloatVector x) {
        FloatVector c = x.min(EXP_HI).max(EXP_LO);
        FloatVector n = c.mul(LOG2E).add(ROUND).sub(ROUND);
        FloatVector r = n.fma(FloatVector.broadcast(Vec.S, -C1), c);
        r = n.fma(FloatVector.broadcast(Vec.S, -C2), r);
        FloatVector p = r.fma(P0, P1);
        p = p.fma(r, FloatVector.broadcast(Vec.S, P2));
        p = p.fma(r, FloatVector.broadcast(Vec.S, P3));
        p = p.fma(r, FloatVector.broadcast(Vec.S, P4));
        p = p.fma(r, FloatVector.broadcast(Vec.S, P5));
        FloatVector y = p.mul(r.mul(r)).add(r).add(1f);
        IntVector bits = ((IntVector) n.convert(VectorOperators.F2I, 0)).add(127).lanewise(VectorOperators.LSHL, 23);
        FloatVector scaled = y.mul((FloatVector) bits.reinterpretAsFloats());
        VectorMask<Float> under = x.compare(VectorOperators.LT, EXP_LO), over = x.compare(VectorOperators.GT, EXP_INF);
        return scaled.blend(0f, under).blend(Float.POSITIVE_INFINITY, over);
    }

    static float exp(float x) {
        if (Float.isNaN(x)) return x;
        if (x < EXP_LO) return 0f;
        if (x > EXP_INF) return Float.POSITIVE_INFINITY;
        float c = Math.max(Math.min(x, EXP_HI), EXP_LO);
        float n = c * LOG2E + ROUND - ROUND;
        float r = Math.fma(n, -C1, c);
        r = Math.fma(n, -C2, r);
        float p = Math.fma(r, P0, P1);
        p = Math.fma(p, r, P2);
        p = Math.fma(p, r, P3);
        p = Math.fma(p, r, P4);
        p = Math.fma(p, r, P5);
        float y = p * (r * r) + r + 1f;
        return y * Float.intBitsToFloat(((int) n + 127) << 23);
    }

    static FloatVector tanh(FloatVector x) {
        FloatVector z = x.abs();
        // Large |x|: 1 − 2/(e^{2|x|} + 1), with the sign of x.
        FloatVector big = FloatVector.broadcast(Vec.S, 1f).sub(FloatVector.broadcast(Vec.S, 2f).div(exp(z.mul(2f)).add(1f)));
        big = big.blend(big.neg(), x.compare(VectorOperators.LT, 0f));
        // Small |x|: an odd polynomial, accurate where the formula above cancels.
        FloatVector s = x.mul(x);
        FloatVector p = s.fma(T0, T1);
        p = p.fma(s, FloatVector.broadcast(Vec.S, T2));
        p = p.fma(s, FloatVector.broadcast(Vec.S, T3));
        p = p.fma(s, FloatVector.broadcast(Vec.S, T4));
        FloatVector small = p.mul(s).fma(x, x);
        return big.blend(small, z.compare(VectorOperators.LE, 0.625f));
    }

    static float tanh(float x) {
        float z = Math.abs(x);
        if (z <= 0.625f) {
            float s = x * x;
            float p = Math.fma(s, T0, T1);
            p = Math.fma(p, s, T2);
            p = Math.fma(p, s, T3);
            p = Math.fma(p, s, T4);
            return Math.fma(p * s, x, x);
        }
        if (Float.isNaN(x)) return x;
        float t = 1f - 2f / (exp(z * 2f) + 1f);
        return x < 0 ? -t : t;
    }

    /** The sum of a vector's lanes, lane 0 first. */
    static float hsum(FloatVector v) {
        float s = 0f;
        for (int i = 0; i < Vec.W; i++) s += v.lane(i);
        return s;
    }
}
