package dev.nanolab.optimizers;

import static dev.nanolab.optimizers.Fixtures.param;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.nanolab.api.backend.Backend;
import dev.nanolab.api.backend.ext.FusedOptimizerKernels;
import dev.nanolab.api.optim.Optimizer;
import dev.nanolab.api.optim.OptimizerStep;
import dev.nanolab.api.optim.ParamGroup;
import dev.nanolab.api.tensor.Tensor;
import dev.nanolab.api.tensor.TensorScope;
import dev.nanolab.cpu.CpuBackend;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every hand-computed update of {@link HandComputedUpdatesTest} again, on a backend that has only the core kernels:
 * the optimizers' generic path (the update composed from tensor ops) against the same double-precision rules.
 */
class ComposedUpdatesTest extends HandComputedUpdatesTest {
    @BeforeAll
    static void withoutFusedKernels() {
        be = new WithoutExtensions(be);
        assertThat(be.extension(FusedOptimizerKernels.class)).isEmpty();
    }

    /** Muon (momentum, normalisation and update composed; Newton–Schulz on the core GEMM) against its fused kernels. */
    @Test
    void muonComposedMatchesMuonFused() {
        try (CpuBackend cpu = new CpuBackend(2, true)) {
            float[][] results = new float[2][];
            for (int path = 0; path < 2; path++) {
                Backend on = path == 0 ? cpu : new WithoutExtensions(cpu);
                Tensor w = param(on, "h.0.mlp.c_fc.weight", Fixtures.values(24 * 40, 1, -1, 1), 24, 40);
                Optimizer muon = new Muon(new Muon.Config(), new AdamW.Factory(new AdamW.Config()),
                        List.of(new ParamGroup("all", List.of(w), 1, 0.01)));
                for (int t = 1; t <= 3; t++) {
                    float[] grad = Fixtures.gradients(24 * 40, 100 + t);
                    Fixtures.setGrad(w, grad);
                    float scale = 0.5f + 0.2f * t;
                    Tensor gradScale = TensorScope.outside(() -> Tensor.of(on, new float[] {scale}, 1));
                    muon.step(new OptimizerStep(t, 0.02, gradScale));
                }
                results[path] = w.toFloatArray();
            }
            for (int i = 0; i < results[0].length; i++)
                assertThat(results[1][i]).as("element %d", i).isCloseTo(results[0][i], within(2e-6f * Math.max(1, Math.abs(results[0][i]))));
        }
    }
}
