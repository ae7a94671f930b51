package dev.nanolab.probes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;

/**
 * The kurtosis estimator on samples from known distributions: Pearson's kurtosis is 3 (normal), 1.8 (uniform), 6
 * (Laplace). Tolerances are five standard errors of the sample kurtosis for n = 10⁶, from the delta method:
 * Var(b₂) ≈ [(μ₈ − μ₄²)/μ₂⁴ − 4μ₄(μ₆ − μ₂μ₄)/μ₂⁵ + 4μ₄²(μ₄ − μ₂²)/μ₂⁶] / n (symmetric distributions), which is
 * 24/n for a normal, 1.32/n for a uniform and 1188/n for a Laplace distribution.
 */
class MomentsTest {
    static final int N = 1_000_000;

    static float[] sample(DoubleSupplier d) {
        float[] x = new float[N];
        for (int i = 0; i < N; i++) x[i] = (float) d.getAsDouble();
        return x;
    }

    /** Adds the sample in uneven batches, as a probe sees an activation batch by batch. */
    static Moments batched(float[] x) {
        Moments m = new Moments();
        int at = 0, step = 1;
        while (at < x.length) {
            int to = Math.min(x.length, at + step);
            m.add(x, at, to);
            at = to;
            step = step * 3 + 7;
        }
        return m;
    }

    @Test
    void normalHasKurtosisThree() {
        SplittableRandom r = new SplittableRandom(1);
        float[] x = sample(() -> 2.5 + 0.7 * r.nextGaussian());
        assertThat(new Moments().add(x).pearsonKurtosis()).isCloseTo(3.0, within(5 * Math.sqrt(24.0 / N)));
        assertThat(batched(x).pearsonKurtosis()).isCloseTo(3.0, within(5 * Math.sqrt(24.0 / N)));
    }

    @Test
    void uniformHasKurtosisOnePointEight() {
        SplittableRandom r = new SplittableRandom(2);
        float[] x = sample(() -> -3 + 8 * r.nextDouble());
        assertThat(batched(x).pearsonKurtosis()).isCloseTo(1.8, within(5 * Math.sqrt(1.32 / N)));
    }

    @Test
    void laplaceHasKurtosisSix() {
        SplittableRandom r = new SplittableRandom(3);
        // Inverse CDF: x = μ − b·sgn(u)·ln(1 − 2|u|), u uniform on (−½, ½).
        float[] x = sample(() -> {
            double u = r.nextDouble() - 0.5;
            return 1.0 - 0.3 * Math.signum(u) * Math.log(1 - 2 * Math.abs(u));
        });
        assertThat(batched(x).pearsonKurtosis()).isCloseTo(6.0, within(5 * Math.sqrt(1188.0 / N)));
    }

    @Test
    void mergingBatchesGivesTheMomentsOfAllValues() {
        SplittableRandom r = new SplittableRandom(4);
        float[] x = new float[10_001];
        for (int i = 0; i < x.length; i++) x[i] = (float) (r.nextDouble() < 0.01 ? 40 * r.nextGaussian() : r.nextGaussian() + 3);
        // Two-pass reference in double.
        double mean = 0;
        for (float v : x) mean += v;
        mean /= x.length;
        double m2 = 0, m3 = 0, m4 = 0;
        for (float v : x) {
            double d = v - mean;
            m2 += d * d;
            m3 += d * d * d;
            m4 += d * d * d * d;
        }
        double kurt = x.length * m4 / (m2 * m2), skew = Math.sqrt(x.length) * m3 / Math.pow(m2, 1.5);
        Moments a = batched(x);
        Moments b = new Moments().add(java.util.Arrays.copyOfRange(x, 0, 3)).add(new Moments().add(java.util.Arrays.copyOfRange(x, 3, x.length)));
        for (Moments m : new Moments[] {a, b}) {
            assertThat(m.count()).isEqualTo(x.length);
            assertThat(m.mean()).isCloseTo(mean, within(1e-12 * Math.abs(mean) + 1e-12));
            assertThat(m.variance()).isCloseTo(m2 / x.length, within(1e-10 * m2 / x.length));
            assertThat(m.pearsonKurtosis()).isCloseTo(kurt, within(1e-9 * kurt));
            assertThat(m.skewness()).isCloseTo(skew, within(1e-9 * Math.abs(skew) + 1e-12));
        }
    }

    @Test
    void tracksTheLargestMagnitudeAndItsIndexAcrossBatches() {
        Moments m = new Moments().add(new float[] {1, -2, 3}).add(new float[] {0.5f, -7, 7, 2});
        assertThat(m.maxAbs()).isEqualTo(7);
        assertThat(m.maxAbsIndex()).isEqualTo(4); // the first -7, in the second batch
        assertThat(new Moments().add(new float[] {Float.NaN, 2, -1}).maxAbsIndex()).isEqualTo(1);
    }

    @Test
    void constantValuesHaveNoKurtosis() {
        assertThat(new Moments().add(new float[] {2, 2, 2}).pearsonKurtosis()).isNaN();
        assertThat(new Moments().pearsonKurtosis()).isNaN();
    }
}
