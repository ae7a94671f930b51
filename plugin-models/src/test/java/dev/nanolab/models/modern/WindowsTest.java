package dev.nanolab.models.modern;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolab.models.modern.ModernGptConfig.InitScheme;
import dev.nanolab.models.modern.ModernGptConfig.MlpKind;
import dev.nanolab.models.modern.ModernGptConfig.Norm;
import dev.nanolab.models.modern.ModernGptConfig.Rope;
import dev.nanolab.models.modern.ModernGptConfig.Softcap;
import org.junit.jupiter.api.Test;

/** The window schedule: growth from window_start in window_block steps; window_start 0 means no growth, as documented. */
class WindowsTest {
    private static ModernGptConfig config(int windowStart, long warmup) {
        return new ModernGptConfig(2, 2, 8, 64, 0, 0f, false, Norm.RMS, false, true, Rope.HALF_TRUNCATED, 1024, true, 0f,
                MlpKind.RELU2, 0, false, false, InitScheme.MODDED, 0, false, false, Softcap.NONE, 30f, "LS", 0, windowStart,
                warmup, 8, -1, null);
    }

    @Test
    void theLongWindowGrowsFromWindowStartInBlocks() {
        Windows w = new Windows(config(16, 8));
        assertThat(w.grows()).isTrue();
        // 16 → 64 over 8 passes, rounded up to multiples of 8: 16, 22 → 24, 28 → 32, ..., 64.
        assertThat(new int[] {w.longWindow(0), w.longWindow(1), w.longWindow(2), w.longWindow(8), w.longWindow(100)})
                .containsExactly(16, 24, 32, 64, 64);
        assertThat(w.window(0, 0)).as("L at step 0").isEqualTo(16);
        assertThat(w.window(1, 0)).as("S: half the long window").isEqualTo(8);
        assertThat(w.window(0, 8)).as("the whole block is no window").isZero();
    }

    @Test
    void windowStartZeroMeansNoGrowthEvenWithWarmupIters() {
        Windows w = new Windows(config(0, 8));
        assertThat(w.grows()).isFalse();
        assertThat(w.longWindow(0)).isEqualTo(64);
        assertThat(w.window(0, 0)).isZero();
        assertThat(w.window(1, 0)).isEqualTo(32);
    }
}
