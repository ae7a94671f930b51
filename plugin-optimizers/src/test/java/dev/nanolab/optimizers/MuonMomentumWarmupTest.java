package dev.nanolab.optimizers;

import static dev.nanolab.optimizers.Fixtures.gradients;
import static dev.nanolab.optimizers.Fixtures.param;
import static dev.nanolab.optimizers.Fixtures.setGrad;
import static dev.nanolab.optimizers.Fixtures.values;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolab.api.optim.Optimizer;
import dev.nanolab.api.optim.OptimizerStep;
import dev.nanolab.api.optim.ParamGroup;
import dev.nanolab.api.tensor.Tensor;
import dev.nanolab.cpu.CpuBackend;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** Muon's momentum warmup (modded-nanogpt: 0.85 → 0.95 over the first 300 steps). */
class MuonMomentumWarmupTest {
    @Test
    void momentumRisesLinearlyThenStays() {
        Muon.Config d = new Muon.Config();
        Muon.Config c = new Muon.Config(d.lr(), 0.95, true, 5, 1e-7, 0, d.fallbackNames(), null, 0.85, 300);
        assertThat(c.momentumAt(1)).isEqualTo(0.85);
        assertThat(c.momentumAt(151)).isCloseTo(0.90, Offset.offset(1e-12));
        assertThat(c.momentumAt(301)).isCloseTo(0.95, Offset.offset(1e-12));
        assertThat(c.momentumAt(5000)).isCloseTo(0.95, Offset.offset(1e-12));
        assertThat(d.momentumAt(1)).as("no warmup by default").isEqualTo(0.95);
    }

    /** The momentum buffer follows buf = μ_t·buf + (1 − μ_t)·g with each step's warmup momentum μ_t. */
    @Test
    void theKernelUsesEachStepsMomentum() {
        try (CpuBackend be = new CpuBackend(2, true)) {
            Muon.Config warm = new Muon.Config(0.02, 0.9, true, 5, 1e-7, 0, List.of(), null, 0.5, 2);
            Tensor w = param(be, "w", values(12 * 8, 1, -0.5f, 0.5f), 12, 8);
            Optimizer muon = new Muon(warm, new AdamW.Factory(new AdamW.Config()), List.of(new ParamGroup("h", List.of(w), 1, 0)));
            double[] buf = new double[12 * 8];
            for (int step = 1; step <= 4; step++) {
                float[] g = gradients(12 * 8, 10 + step);
                setGrad(w, g);
                muon.step(new OptimizerStep(step, 0.02, null));
                double mu = warm.momentumAt(step);
                for (int i = 0; i < buf.length; i++) buf[i] = mu * buf[i] + (1 - mu) * g[i];
                float[] got = muon.state().get("w.momentum_buffer").toFloatArray();
                for (int i = 0; i < buf.length; i++)
                    assertThat((double) got[i]).as("step %d (momentum %s) buffer[%d]", step, mu, i).isCloseTo(buf[i], Offset.offset(1e-5));
            }
            assertThat(warm.momentumAt(2)).isEqualTo(0.7);
        }
    }
}
