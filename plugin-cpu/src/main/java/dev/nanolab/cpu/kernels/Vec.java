package dev.nanolab.cpu.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Level-1 vector loops over float arrays with the Vector API: the building blocks of the pointwise and
 * normalisation kernels. Every loop runs full vectors, then a scalar tail, so lengths need not be multiples of the
 * vector width; sums are taken in a fixed lane order, so results are the same run to run.
 */
final class Vec {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int W = S.length();

    private Vec() {}

    static float dot(float[] a, int ao, float[] b, int bo, int n) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += W)
            acc = FloatVector.fromArray(S, a, ao + i).fma(FloatVector.fromArray(S, b, bo + i), acc);
        float s = VecMath.hsum(acc);
        for (; i < n; i++) s += a[ao + i] * b[bo + i];
        return s;
    }

    /** y += alpha · x */
    static void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n) {
        FloatVector va = FloatVector.broadcast(S, alpha);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += W)
            FloatVector.fromArray(S, x, xo + i).fma(va, FloatVector.fromArray(S, y, yo + i)).intoArray(y, yo + i);
        for (; i < n; i++) y[yo + i] += alpha * x[xo + i];
    }

    /** x *= s */
    static void scale(float[] x, int o, int n, float s) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += W)
            FloatVector.fromArray(S, x, o + i).mul(s).intoArray(x, o + i);
        for (; i < n; i++) x[o + i] *= s;
    }

    static float sum(float[] x, int o, int n) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += W) acc = acc.add(FloatVector.fromArray(S, x, o + i));
        float s = VecMath.hsum(acc);
        for (; i < n; i++) s += x[o + i];
        return s;
    }

    static float max(float[] x, int o, int n) {
        FloatVector acc = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += W) acc = acc.max(FloatVector.fromArray(S, x, o + i));
        float m = acc.reduceLanes(VectorOperators.MAX);
        for (; i < n; i++) m = Math.max(m, x[o + i]);
        return m;
    }

    /**
     * x[i] = exp(x[i] − shift) for i &lt; n, the results added lane by lane into sums[so, so + W) (a tail element i
     * into lane i mod W): an online softmax keeps its denominator as W partial sums and adds them up once, at the
     * row's end, instead of once per block.
     */
    static void expShiftAccumulate(float[] x, int o, int n, float shift, float[] sums, int so) {
        FloatVector acc = FloatVector.fromArray(S, sums, so);
        FloatVector vs = FloatVector.broadcast(S, shift);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += W) {
            FloatVector e = VecMath.exp(FloatVector.fromArray(S, x, o + i).sub(vs));
            e.intoArray(x, o + i);
            acc = acc.add(e);
        }
        acc.intoArray(sums, so);
        for (; i < n; i++) {
            float e = VecMath.exp(x[o + i] - shift);
            x[o + i] = e;
            sums[so + i % W] += e;
        }
    }

    /** x[i] = exp(x[i] − shift); returns the sum of the results. */
    static float expShiftSum(float[] x, int o, int n, float shift) {
        FloatVector acc = FloatVector.zero(S);
        FloatVector vs = FloatVector.broadcast(S, shift);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += W) {
            FloatVector e = VecMath.exp(FloatVector.fromArray(S, x, o + i).sub(vs));
            e.intoArray(x, o + i);
            acc = acc.add(e);
        }
        // Masked tails fall back to slow paths in C2; VecMath's scalar exp gives the same bits as a lane.
        float s = VecMath.hsum(acc);
        for (; i < n; i++) {
            float e = VecMath.exp(x[o + i] - shift);
            x[o + i] = e;
            s += e;
        }
        return s;
    }

    /** Σ exp(x[i] − shift) without writing. */
    static float sumExpShift(float[] x, int o, int n, float shift) {
        FloatVector acc = FloatVector.zero(S);
        FloatVector vs = FloatVector.broadcast(S, shift);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += W) acc = acc.add(VecMath.exp(FloatVector.fromArray(S, x, o + i).sub(vs)));
        float s = VecMath.hsum(acc);
        for (; i < n; i++) s += VecMath.exp(x[o + i] - shift);
        return s;
    }
}
