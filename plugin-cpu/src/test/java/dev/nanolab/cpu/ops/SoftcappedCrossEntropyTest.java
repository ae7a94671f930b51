package dev.nanolab.cpu.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolab.api.backend.Backend;
import dev.nanolab.api.backend.LogitSoftcap;
import dev.nanolab.api.backend.ext.SoftcappedLossKernels;
import dev.nanolab.api.nn.F;
import dev.nanolab.api.tensor.Rng;
import dev.nanolab.api.tensor.Tensor;
import dev.nanolab.api.tensor.TensorScope;
import dev.nanolab.cpu.CpuBackend;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The fused softcapped cross-entropy ({@link SoftcappedLossKernels}): against double-precision finite differences,
 * and against the composition it replaces (softcap from unary ops, then the plain fused cross-entropy).
 */
class SoftcappedCrossEntropyTest {
    private static final LogitSoftcap[] CAPS = {
            new LogitSoftcap(LogitSoftcap.Kind.SIGMOID, 30f), new LogitSoftcap(LogitSoftcap.Kind.TANH, 30f),
            // Above 40 the kernel shifts by the row's largest capped logit instead of by the cap.
            new LogitSoftcap(LogitSoftcap.Kind.SIGMOID, 60f), new LogitSoftcap(LogitSoftcap.Kind.TANH, 60f),
            new LogitSoftcap(LogitSoftcap.Kind.SIGMOID, 2f)};

    @Test
    void gradientsMatchFiniteDifferences() {
        GradCheck gc = new GradCheck(41).tolerances(1e-4, 5e-3, 1e-3);
        // 37 classes: two full 16-lane vectors and a tail; logits of scale 25 so the cap bends them.
        int rows = 9, vocab = 37;
        double[] z = gc.randn(rows * vocab, 25);
        int[] targets = {0, 36, 5, -1, 17, 17, -1, 2, 30};
        for (LogitSoftcap cap : CAPS)
            gc.check("softcapped crossEntropy " + cap, List.of(GradCheck.Input.of(z, 3, 3, vocab), GradCheck.Input.ids(targets, 3, 3)),
                    xs -> F.crossEntropy(xs.get(0), xs.get(1), -1, cap), r -> {
                        double[] s = r.get(0).clone();
                        for (int i = 0; i < s.length; i++) s[i] = cap.apply(s[i]);
                        return new double[] {Ref.crossEntropy(s, targets, vocab, -1)};
                    });
    }

    @Test
    void fusedEqualsTheComposition() {
        int rows = 70, vocab = 2051;
        Rng rng = new Rng(42);
        float[] z = new float[rows * vocab];
        for (int i = 0; i < z.length; i++) z[i] = (float) (rng.nextGaussian() * 20);
        int[] targets = new int[rows];
        for (int r = 0; r < rows; r++) targets[r] = r % 11 == 4 ? -1 : rng.nextInt(vocab);
        try (Backend be = new CpuBackend(2, true); TensorScope scope = TensorScope.open()) {
            assertThat(be.extension(SoftcappedLossKernels.class)).as("the CPU backend offers the fused kernels").isPresent();
            Tensor t = Tensor.ofInts(be, targets, rows);
            for (LogitSoftcap cap : CAPS) {
                // z is used twice, so the second backward accumulates into its gradient.
                Tensor fz = Tensor.of(be, z, rows, vocab).requiresGrad(true);
                Tensor fused = F.crossEntropy(fz, t, -1, cap).add(F.crossEntropy(fz.mul(0.5f), t, -1, cap));
                fused.backward();
                Tensor uz = Tensor.of(be, z, rows, vocab).requiresGrad(true);
                Tensor composed = F.crossEntropy(F.softcap(uz, cap), t, -1).add(F.crossEntropy(F.softcap(uz.mul(0.5f), cap), t, -1));
                composed.backward();
                assertThat(fused.item()).as("%s loss", cap).isCloseTo(composed.item(), org.assertj.core.data.Offset.offset(1e-5f * Math.abs(composed.item())));
                float[] fg = fz.grad().toFloatArray(), ug = uz.grad().toFloatArray();
                float largest = 0;
                for (float v : ug) largest = Math.max(largest, Math.abs(v));
                for (int i = 0; i < fg.length; i++)
                    assertThat(fg[i]).as("%s dz[%d]", cap, i).isCloseTo(ug[i], org.assertj.core.data.Offset.offset(1e-5f * largest));
            }
        }
    }
}
