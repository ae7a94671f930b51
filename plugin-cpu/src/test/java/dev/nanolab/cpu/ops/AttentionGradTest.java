package dev.nanolab.cpu.ops;

import dev.nanolab.api.nn.F;
import dev.nanolab.api.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fused attention kernel against a naive double implementation, forward and backward. */
class AttentionGradTest {
    private static double[] fill(double v, int n) {
        double[] a = new double[n];
        Arrays.fill(a, v);
        return a;
    }

    private void selfAttention(String name, int B, int T, int H, int D, int window, float extra, float dropout) {
        GradCheck gc = new GradCheck(name.hashCode());
        int C = H * D;
        double[] qkv = gc.randn(B * T * 3 * C, 1);
        F.AttentionOptions o = new F.AttentionOptions(window, extra, null, dropout, 99L);
        gc.check(name, List.of(GradCheck.Input.of(qkv, B, T, 3 * C)),
                xs -> F.causalSelfAttention(xs.get(0), H, o).out(), r -> {
                    double[] q = new double[B * T * C], k = new double[B * T * C], v = new double[B * T * C];
                    for (int row = 0; row < B * T; row++)
                        for (int c = 0; c < C; c++) {
                            q[row * C + c] = r.get(0)[row * 3 * C + c];
                            k[row * C + c] = r.get(0)[row * 3 * C + C + c];
                            v[row * C + c] = r.get(0)[row * 3 * C + 2 * C + c];
                        }
                    return Ref.attention(q, k, v, B, H, T, T, D, window, fill(extra, H), dropout, 99L);
                });
    }

    @Test
    void softmaxAttention() {
        selfAttention("softmax", 2, 7, 3, 5, 0, Float.NEGATIVE_INFINITY, 0f);
        selfAttention("softmax long rows", 1, 70, 2, 17, 0, Float.NEGATIVE_INFINITY, 0f);
    }

    @Test
    void softmax1Attention() {
        selfAttention("softmax1", 2, 9, 2, 6, 0, 0f, 0f);
    }

    @Test
    void slidingWindowWithEitherNormaliser() {
        selfAttention("window softmax", 1, 11, 2, 4, 3, Float.NEGATIVE_INFINITY, 0f);
        selfAttention("window softmax1", 1, 11, 2, 4, 4, 0f, 0f);
    }

    @Test
    void attentionDropout() {
        selfAttention("dropout", 2, 6, 2, 4, 0, Float.NEGATIVE_INFINITY, 0.25f);
        // Rows of up to 37 keys: the vectorised mask and the vector body of the backward's weights, beside their tails.
        selfAttention("dropout long rows", 1, 37, 2, 5, 0, Float.NEGATIVE_INFINITY, 0.25f);
        selfAttention("dropout window softmax1", 1, 37, 1, 6, 19, 0f, 0.1f);
    }

    @Test
    void learnedSinkLogitsGetGradients() {
        GradCheck gc = new GradCheck(41);
        int B = 2, T = 5, H = 3, D = 4, C = H * D;
        double[] qkv = gc.randn(B * T * 3 * C, 1), sinks = gc.randn(H, 1);
        gc.check("sinks", List.of(GradCheck.Input.of(qkv, B, T, 3 * C), GradCheck.Input.of(sinks, H)),
                xs -> F.causalSelfAttention(xs.get(0), H, new F.AttentionOptions(0, Float.NEGATIVE_INFINITY, xs.get(1), 0f, 0L)).out(),
                r -> {
                    double[] q = new double[B * T * C], k = new double[B * T * C], v = new double[B * T * C];
                    for (int row = 0; row < B * T; row++)
                        for (int c = 0; c < C; c++) {
                            q[row * C + c] = r.get(0)[row * 3 * C + c];
                            k[row * C + c] = r.get(0)[row * 3 * C + C + c];
                            v[row * C + c] = r.get(0)[row * 3 * C + 2 * C + c];
                        }
                    return Ref.attention(q, k, v, B, H, T, T, D, 0, r.get(1), 0f, 0L);
                });
    }

    @Test
    void separateQueriesOverCachedKeys() {
        GradCheck gc = new GradCheck(42);
        int B = 2, Tq = 3, Tk = 8, H = 2, D = 5, C = H * D;
        double[] q = gc.randn(B * Tq * C, 1), k = gc.randn(B * Tk * C, 1), v = gc.randn(B * Tk * C, 1);
        gc.check("cached", List.of(GradCheck.Input.of(q, B, Tq, C), GradCheck.Input.of(k, B, Tk, C), GradCheck.Input.of(v, B, Tk, C)),
                xs -> F.attention(xs.get(0), xs.get(1), xs.get(2), H, new F.AttentionOptions(0, 0f, null, 0f, 0L)).out(),
                r -> Ref.attention(r.get(0), r.get(1), r.get(2), B, H, Tq, Tk, D, 0, fill(0, H), 0f, 0L));
    }

    /** The fused kernel and the composition of matmul, mask, softmax and matmul agree to 1e-5 relative. */
    @Test
    void fusedMatchesUnfusedComposition() {
        int B = 2, T = 13, H = 3, D = 8, C = H * D;
        try (var be = new dev.nanolab.cpu.CpuBackend(2, true); var scope = dev.nanolab.api.tensor.TensorScope.open()) {
            var rng = new dev.nanolab.api.tensor.Rng(5);
            Tensor qkv = Tensor.randn(be, rng, 1f, B, T, 3 * C);
            for (int window : new int[] {0, 4})
                for (float extra : new float[] {Float.NEGATIVE_INFINITY, 0f}) {
                    float[] fused = F.causalSelfAttention(qkv, H, new F.AttentionOptions(window, extra, null, 0f, 0L)).out().toFloatArray();
                    List<Tensor> parts = qkv.split(2, C, C, C);
                    Tensor q = parts.get(0).reshape(B, T, H, D).permute(0, 2, 1, 3);
                    Tensor k = parts.get(1).reshape(B, T, H, D).permute(0, 2, 1, 3);
                    Tensor v = parts.get(2).reshape(B, T, H, D).permute(0, 2, 1, 3);
                    Tensor att = q.matmul(k, false, true).mul((float) (1 / Math.sqrt(D)));
                    Tensor p = F.softmax(att, new dev.nanolab.api.backend.CausalMask(T, T, 0, window), extra);
                    float[] unfused = p.matmul(v).permute(0, 2, 1, 3).reshape(B, T, C).toFloatArray();
                    for (int i = 0; i < fused.length; i++)
                        org.assertj.core.api.Assertions.assertThat((double) fused[i])
                                .as("window=%d extra=%s element %d", window, extra, i)
                                .isCloseTo(unfused[i], org.assertj.core.api.Assertions.within(1e-5 * Math.max(1, Math.abs(unfused[i]))));
                }
        }
    }
}
