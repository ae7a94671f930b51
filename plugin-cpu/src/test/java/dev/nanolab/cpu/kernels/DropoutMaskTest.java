package dev.nanolab.cpu.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolab.api.backend.Dropout;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The vectorised mask is Dropout.keep, element by element, for any seed, offset, length and rate. */
class DropoutMaskTest {
    @Test
    void multipliersFollowTheKeepRule() {
        SplittableRandom r = new SplittableRandom(7);
        float[] ps = {0f, 1e-9f, 0.1f, 0.2f, 0.5f, 0.9f, 0.999f, Math.nextDown(1f)};
        for (float p : ps)
            for (int trial = 0; trial < 20; trial++) {
                long seed = r.nextLong(), first = trial < 10 ? r.nextLong(1L << 40) : Long.MAX_VALUE - 100 - r.nextInt(50);
                int n = 1 + r.nextInt(300), o = r.nextInt(5);
                float scale = 1f / (1f - p);
                float[] m = new float[o + n];
                DropoutMask.multipliers(seed, first, n, p, scale, m, o);
                int kept = 0;
                for (int t = 0; t < n; t++) {
                    boolean keep = Dropout.keep(seed, first + t, p);
                    assertThat(m[o + t]).as("p %s seed %d index %d", p, seed, first + t).isEqualTo(keep ? scale : 0f);
                    if (keep) kept++;
                }
                if (p == 0f) assertThat(kept).isEqualTo(n);
            }
    }

    @Test
    void keepsAboutOneMinusPOverALongRun() {
        float[] m = new float[100_000];
        DropoutMask.multipliers(42L, 0L, m.length, 0.2f, 1.25f, m, 0);
        int kept = 0;
        for (float v : m) if (v != 0f) kept++;
        assertThat(kept / (double) m.length).isBetween(0.79, 0.81);
    }
}
