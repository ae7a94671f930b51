package dev.nanolab.cpu.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolab.api.tensor.Rng;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/** The reproducible exp and tanh: accurate, special values right, and vector lanes equal to the scalar version. */
class VecMathTest {
    private static double ulps(float got, double want) {
        return Math.abs(got - want) / Math.ulp((float) want);
    }

    @Test
    void expIsWithinThreeUlpAndVectorLanesEqualTheScalar() {
        Rng r = new Rng(1);
        float[] x = new float[Vec.W];
        double worst = 0;
        for (int round = 0; round < 20000; round++) {
            for (int i = 0; i < x.length; i++) x[i] = (float) (r.nextDouble() * 170 - 86);
            float[] v = VecMath.exp(FloatVector.fromArray(Vec.S, x, 0)).toArray();
            for (int i = 0; i < x.length; i++) {
                assertThat(Float.floatToRawIntBits(v[i])).as("lane %d of exp(%s)", i, x[i]).isEqualTo(Float.floatToRawIntBits(VecMath.exp(x[i])));
                worst = Math.max(worst, ulps(v[i], StrictMath.exp(x[i])));
            }
        }
        assertThat(worst).isLessThanOrEqualTo(3.0);
        assertThat(VecMath.exp(Float.NEGATIVE_INFINITY)).isZero();
        assertThat(VecMath.exp(Float.POSITIVE_INFINITY)).isInfinite();
        assertThat(VecMath.exp(Float.NaN)).isNaN();
        assertThat(VecMath.exp(0f)).isEqualTo(1f);
        assertThat(VecMath.exp(-100f)).isZero();
        assertThat(VecMath.exp(89f)).isInfinite();
        float[] special = new float[Vec.W];
        special[0] = Float.NaN;
        special[1] = Float.NEGATIVE_INFINITY;
        special[2] = Float.POSITIVE_INFINITY;
        float[] out = VecMath.exp(FloatVector.fromArray(Vec.S, special, 0)).toArray();
        assertThat(out[0]).isNaN();
        assertThat(out[1]).isZero();
        assertThat(out[2]).isInfinite();
    }

    @Test
    void tanhIsAccurateNearZeroAndSaturatesFarAway() {
        Rng r = new Rng(2);
        float[] x = new float[Vec.W];
        double worst = 0;
        for (int round = 0; round < 20000; round++) {
            for (int i = 0; i < x.length; i++) x[i] = (float) ((r.nextDouble() - 0.5) * (round % 2 == 0 ? 2 : 30));
            float[] v = VecMath.tanh(FloatVector.fromArray(Vec.S, x, 0)).toArray();
            for (int i = 0; i < x.length; i++) {
                assertThat(Float.floatToRawIntBits(v[i])).isEqualTo(Float.floatToRawIntBits(VecMath.tanh(x[i])));
                if (x[i] != 0) worst = Math.max(worst, ulps(v[i], StrictMath.tanh(x[i])));
            }
        }
        assertThat(worst).isLessThanOrEqualTo(4.0);
        assertThat(VecMath.tanh(1e-6f)).isEqualTo(1e-6f);
        assertThat(VecMath.tanh(50f)).isEqualTo(1f);
        assertThat(VecMath.tanh(-50f)).isEqualTo(-1f);
        assertThat(VecMath.tanh(Float.NaN)).isNaN();
    }
}
