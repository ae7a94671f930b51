package dev.nanolab.optimizers.schedules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.nanolab.optimizers.schedules.WarmupStableDecay.Decay;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every schedule's curve against its formula, written out here, at chosen steps including each boundary. */
class SchedulesTest {
    static final double BASE = 6e-4, EPS = 1e-15;

    @Test
    void constantIsTheBaseRate() {
        for (long t : new long[] {0, 1, 999, 1_000_000}) assertThat(new Constant().lr(t, BASE)).isEqualTo(BASE);
    }

    @Test
    void warmupCosineIsNanoGptsGetLr() {
        var s = new WarmupCosine(new WarmupCosine.Config(100, 1000, 6e-5));
        // warmup: lr·(t+1)/(W+1)
        assertThat(s.lr(0, BASE)).isCloseTo(BASE * 1 / 101, within(EPS));
        assertThat(s.lr(99, BASE)).isCloseTo(BASE * 100 / 101, within(EPS));
        // decay: min + ½(1 + cos(π·(t−W)/(D−W)))·(lr − min); t = W is the top, t = D the bottom
        assertThat(s.lr(100, BASE)).isCloseTo(BASE, within(EPS));
        assertThat(s.lr(550, BASE)).isCloseTo(6e-5 + 0.5 * (BASE - 6e-5), within(EPS));
        assertThat(s.lr(325, BASE)).isCloseTo(6e-5 + 0.5 * (1 + Math.cos(Math.PI * 0.25)) * (BASE - 6e-5), within(EPS));
        assertThat(s.lr(1000, BASE)).isCloseTo(6e-5, within(EPS));
        // after: min
        assertThat(s.lr(1001, BASE)).isEqualTo(6e-5);
        assertThat(s.lr(50_000, BASE)).isEqualTo(6e-5);
    }

    @Test
    void stepDecayMultipliesByGammaFromEachMilestoneOn() {
        var s = new StepDecay(new StepDecay.Config(List.of(1000L, 3000L), 0.1));
        assertThat(s.lr(0, BASE)).isEqualTo(BASE);
        assertThat(s.lr(999, BASE)).isEqualTo(BASE);
        assertThat(s.lr(1000, BASE)).isCloseTo(BASE * 0.1, within(EPS));
        assertThat(s.lr(2999, BASE)).isCloseTo(BASE * 0.1, within(EPS));
        assertThat(s.lr(3000, BASE)).isCloseTo(BASE * 0.01, within(EPS));
        assertThat(s.lr(1_000_000, BASE)).isCloseTo(BASE * 0.01, within(EPS));
        // The default: ÷10 after 1000.
        var d = new StepDecay(new StepDecay.Config());
        assertThat(d.lr(999, 1.0)).isEqualTo(1.0);
        assertThat(d.lr(1000, 1.0)).isCloseTo(0.1, within(EPS));
    }

    @Test
    void stepDecayRejectsUnsortedMilestones() {
        assertThatThrownBy(() -> new StepDecay.Config(List.of(3000L, 1000L), 0.1)).hasMessageContaining("ascending");
    }

    @Test
    void warmupStableDecayIsATrapezoid() {
        double min = 6e-5;
        // W = 100 warmup, decay over the last 200 of 1000 steps, so S = 800.
        var linear = new WarmupStableDecay(new WarmupStableDecay.Config(100, 1000, 200, 0, min, Decay.LINEAR));
        assertThat(linear.lr(0, BASE)).isCloseTo(BASE / 101, within(EPS));
        assertThat(linear.lr(99, BASE)).isCloseTo(BASE * 100 / 101, within(EPS));
        assertThat(linear.lr(100, BASE)).isEqualTo(BASE);
        assertThat(linear.lr(500, BASE)).isEqualTo(BASE);
        assertThat(linear.lr(799, BASE)).isEqualTo(BASE);
        assertThat(linear.lr(800, BASE)).isCloseTo(BASE, within(EPS));
        // linear: min + (lr − min)·(1 − r), r = (t − S)/D
        assertThat(linear.lr(850, BASE)).isCloseTo(min + (BASE - min) * 0.75, within(EPS));
        assertThat(linear.lr(900, BASE)).isCloseTo(min + (BASE - min) * 0.5, within(EPS));
        assertThat(linear.lr(1000, BASE)).isCloseTo(min, within(EPS));
        assertThat(linear.lr(1001, BASE)).isEqualTo(min);

        // cosine: min + (lr − min)·½(1 + cos πr)
        var cosine = new WarmupStableDecay(new WarmupStableDecay.Config(100, 1000, 200, 0, min, Decay.COSINE));
        assertThat(cosine.lr(850, BASE)).isCloseTo(min + (BASE - min) * 0.5 * (1 + Math.cos(Math.PI * 0.25)), within(EPS));
        assertThat(cosine.lr(900, BASE)).isCloseTo(min + (BASE - min) * 0.5, within(EPS));
        assertThat(cosine.lr(1000, BASE)).isCloseTo(min, within(EPS));

        // sqrt: min + (lr − min)·(1 − √r)
        var sqrt = new WarmupStableDecay(new WarmupStableDecay.Config(100, 1000, 200, 0, min, Decay.SQRT));
        assertThat(sqrt.lr(850, BASE)).isCloseTo(min + (BASE - min) * 0.5, within(EPS));
        assertThat(sqrt.lr(1000, BASE)).isCloseTo(min, within(EPS));
    }

    @Test
    void warmupStableDecayTakesTheDecayAsAFraction() {
        // decay_iters 0: the last 20% of 1000 steps, as modded-nanogpt's cooldown_frac; no warmup.
        var s = new WarmupStableDecay(new WarmupStableDecay.Config(0, 1000, 0, 0.2, 0, Decay.LINEAR));
        assertThat(s.lr(0, 1.0)).isEqualTo(1.0);
        assertThat(s.lr(799, 1.0)).isEqualTo(1.0);
        assertThat(s.lr(900, 1.0)).isCloseTo(0.5, within(EPS));
        assertThat(s.lr(1000, 1.0)).isCloseTo(0.0, within(EPS));
    }

    @Test
    void warmupStableDecayRejectsPhasesLongerThanTheRun() {
        assertThatThrownBy(() -> new WarmupStableDecay.Config(900, 1000, 200, 0, 0, Decay.LINEAR)).hasMessageContaining("exceed");
        assertThatThrownBy(() -> new WarmupStableDecay.Config(0, 1000, 0, 0, 0, Decay.LINEAR)).hasMessageContaining("at least one step");
    }
}
