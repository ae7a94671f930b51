package dev.nanolab.attention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.nanolab.api.attention.AttentionInputs;
import dev.nanolab.api.attention.AttentionSpec;
import dev.nanolab.api.tensor.GradMode;
import dev.nanolab.api.tensor.Rng;
import dev.nanolab.api.tensor.Tensor;
import dev.nanolab.api.tensor.TensorScope;
import dev.nanolab.cpu.CpuBackend;
import org.junit.jupiter.api.Test;

/**
 * clipped-softmax on the CPU backend's fused kernel (its optional extension) and on the generic path a backend
 * without that kernel gets (the composition of core kernels): the same values and gradients, with and without dropout.
 */
class ClippedSoftmaxTest {
    private static final ClippedSoftmax.Config CLIP = new ClippedSoftmax.Config(-0.1f, 1.1f);

    private static AttentionSpec spec(CpuBackend be, float dropout, long dropoutSeed) {
        return new AttentionSpec(be, 12, 3, 7, dropout, true, new Rng(1), new Rng(dropoutSeed));
    }

    /** Its probabilities (for probes) are the weights it attends with, some clipped to exactly 0. */
    @Test
    void theCpuBackendRunsItFusedAndItsProbabilitiesAreItsWeights() {
        try (CpuBackend be = new CpuBackend(1, true); TensorScope s = TensorScope.open(); GradMode.Scope ng = GradMode.disabled()) {
            int b = 2, t = 7, c = 12, h = 3, d = c / h;
            ClippedSoftmax layer = new ClippedSoftmax(spec(be, 0f, 2), CLIP, true);
            assertThat(layer.isFused()).isTrue();
            Rng rng = new Rng(3);
            Tensor q = Tensor.randn(be, rng, 1.5f, b, t, c), k = Tensor.randn(be, rng, 1f, b, t, c), v = Tensor.randn(be, rng, 1f, b, t, c);
            AttentionInputs in = AttentionInputs.split(q, q, k, v);
            Tensor p = layer.probabilities(in);
            boolean someZero = false;
            for (float x : p.toFloatArray()) {
                assertThat(x).isBetween(0f, 1f);
                someZero |= x == 0f;
            }
            assertThat(someZero).as("some weights clipped to exactly 0").isTrue();
            float[] expected = p.matmul(v.reshape(b, t, h, d).permute(0, 2, 1, 3)).permute(0, 2, 1, 3).reshape(b, t, c).toFloatArray();
            assertThat(layer.attend(in).toFloatArray()).containsExactly(expected, org.assertj.core.data.Offset.offset(1e-5f));
        }
    }

    @Test
    void theComposedPathEqualsTheFusedKernelInValuesAndGradients() {
        for (float dropout : new float[] {0f, 0.25f})
            try (CpuBackend be = new CpuBackend(2, true); TensorScope s = TensorScope.open()) {
                int b = 2, t = 7, c = 12;
                Rng rng = new Rng(5);
                float[] data = Tensor.randn(be, rng, 1.5f, b, t, 3 * c).toFloatArray(), g = Tensor.randn(be, rng, 1f, b, t, c).toFloatArray();
                float[][] outs = new float[2][], grads = new float[2][];
                for (int path = 0; path < 2; path++) {
                    ClippedSoftmax layer = new ClippedSoftmax(spec(be, dropout, 9), CLIP, path == 0);
                    assertThat(layer.isFused()).isEqualTo(path == 0);
                    layer.train();
                    Tensor qkv = Tensor.of(be, data, b, t, 3 * c).requiresGrad(true);
                    Tensor out = layer.attend(AttentionInputs.packed(qkv, qkv));
                    out.backward(Tensor.of(be, g, b, t, c));
                    outs[path] = out.toFloatArray();
                    grads[path] = qkv.grad().toFloatArray();
                }
                for (int i = 0; i < outs[0].length; i++)
                    assertThat(outs[1][i]).as("dropout %s out %d", dropout, i).isCloseTo(outs[0][i], within(1e-5f * Math.max(1, Math.abs(outs[0][i]))));
                for (int i = 0; i < grads[0].length; i++)
                    assertThat(grads[1][i]).as("dropout %s dqkv %d", dropout, i).isCloseTo(grads[0][i], within(1e-5f * Math.max(1, Math.abs(grads[0][i]))));
            }
    }
}
