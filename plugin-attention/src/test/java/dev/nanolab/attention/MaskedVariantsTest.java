package dev.nanolab.attention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.nanolab.api.attention.AttentionInputs;
import dev.nanolab.api.attention.AttentionLayer;
import dev.nanolab.api.attention.AttentionSpec;
import dev.nanolab.api.attention.AttentionVariant;
import dev.nanolab.api.nn.F;
import dev.nanolab.api.tensor.Rng;
import dev.nanolab.api.tensor.Tensor;
import dev.nanolab.api.tensor.TensorScope;
import dev.nanolab.cpu.CpuBackend;
import org.junit.jupiter.api.Test;

/**
 * A model's per-call mask ({@link AttentionInputs#masked}: window and documents) and its attention scale reach every
 * variant: the fused softmax equals the same attention composed from scores by a {@code ScoreNormalizer} (the path
 * out-of-tree variants take), values and gradients.
 */
class MaskedVariantsTest {
    @Test
    void fusedAndComposedAttentionAgreeUnderWindowsDocumentsAndAScale() {
        int b = 2, t = 11, c = 12, h = 3;
        int[] ids = {1, 1, 0, 1, 1, 1, 0, 1, 1, 1, 1, /* row 2 */ 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1};
        for (int window : new int[] {0, 3})
            try (CpuBackend be = new CpuBackend(2, true); TensorScope s = TensorScope.open()) {
                AttentionSpec spec = new AttentionSpec(be, c, h, t, 0f, false, new Rng(1), new Rng(2)).withScale(0.12f);
                Tensor docs = F.documentStarts(Tensor.ofInts(be, ids, b, t), 0, 0, null);
                Rng rng = new Rng(4);
                float[] data = Tensor.randn(be, rng, 2f, b, t, 3 * c).toFloatArray(), g = Tensor.randn(be, rng, 1f, b, t, c).toFloatArray();
                AttentionLayer fused = new FusedAttention(spec, 0, Float.NEGATIVE_INFINITY, false);
                AttentionLayer composed = AttentionVariant.ofNormalizer(F::softmax).create(spec);
                float[][] out = new float[2][], grad = new float[2][];
                for (int path = 0; path < 2; path++) {
                    Tensor qkv = Tensor.of(be, data, b, t, 3 * c).requiresGrad(true);
                    Tensor y = (path == 0 ? fused : composed).attend(AttentionInputs.packed(qkv, qkv).masked(window, docs));
                    y.backward(Tensor.of(be, g, b, t, c));
                    out[path] = y.toFloatArray();
                    grad[path] = qkv.grad().toFloatArray();
                }
                for (int i = 0; i < out[0].length; i++)
                    assertThat(out[1][i]).as("window %d out %d", window, i).isCloseTo(out[0][i], within(1e-5f * Math.max(1, Math.abs(out[0][i]))));
                for (int i = 0; i < grad[0].length; i++)
                    assertThat(grad[1][i]).as("window %d grad %d", window, i).isCloseTo(grad[0][i], within(1e-5f * Math.max(1, Math.abs(grad[0][i]))));
            }
    }
}
