package dev.nanolab.cpu.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.nanolab.api.backend.Attention;
import dev.nanolab.api.backend.ext.ClippedSoftmaxKernels;
import dev.nanolab.api.backend.CausalMask;
import dev.nanolab.api.nn.F;
import dev.nanolab.api.tensor.Rng;
import dev.nanolab.api.tensor.Tensor;
import dev.nanolab.api.tensor.TensorScope;
import dev.nanolab.cpu.CpuBackend;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The fused kernel's clipped softmax, {@code clamp((ζ − γ)·softmax + γ, 0, 1)}: against a naive double reference with
 * central finite differences (GradCheck: poisoned storage, 1 vs 2 threads bit for bit), and against the unfused
 * composition of tensor ops, forward and dq, dk, dv, to 1e-5 relative.
 */
class ClippedAttentionTest {
    private static final double[] NO_EXTRA = {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};

    private static double[][] unpack(double[] qkv, int rows, int C) {
        double[] q = new double[rows * C], k = new double[rows * C], v = new double[rows * C];
        for (int row = 0; row < rows; row++)
            for (int c = 0; c < C; c++) {
                q[row * C + c] = qkv[row * 3 * C + c];
                k[row * C + c] = qkv[row * 3 * C + C + c];
                v[row * C + c] = qkv[row * 3 * C + 2 * C + c];
            }
        return new double[][] {q, k, v};
    }

    private void selfAttention(String name, int B, int T, int H, int D, int window, float dropout, float gamma,
                               float zeta, double qScale) {
        GradCheck gc = new GradCheck(name.hashCode());
        int C = H * D;
        double[] qkv = gc.randn(B * T * 3 * C, 1);
        for (int row = 0; row < B * T; row++)
            for (int c = 0; c < C; c++) qkv[row * 3 * C + c] *= qScale;
        gc.check(name, List.of(GradCheck.Input.of(qkv, B, T, 3 * C)),
                xs -> F.causalSelfAttention(xs.get(0), H, clipped(xs.get(0), window, dropout, 99L, gamma, zeta)).out(), r -> {
                    double[][] p = unpack(r.get(0), B * T, C);
                    return Ref.attention(p[0], p[1], p[2], B, H, T, T, D, window, Arrays.copyOf(NO_EXTRA, H), dropout,
                            99L, gamma, zeta);
                });
    }

    @Test
    void finiteDifferencesOnOddShapes() {
        selfAttention("clipped default", 3, 7, 3, 5, 0, 0f, -0.03f, 1f, 1);
        selfAttention("clipped stretched", 2, 9, 3, 6, 0, 0f, -0.1f, 1.1f, 1);
        // Rows longer than a key block, head size not a multiple of the vector length.
        selfAttention("clipped long rows", 1, 70, 2, 17, 0, 0f, -0.01f, 1.05f, 1.5);
    }

    @Test
    void finiteDifferencesWithSlidingWindowAndDropout() {
        selfAttention("clipped window", 1, 11, 2, 4, 3, 0f, -0.1f, 1.1f, 1);
        selfAttention("clipped dropout", 2, 6, 2, 4, 0, 0.25f, -0.1f, 1.1f, 1);
        selfAttention("clipped window dropout", 3, 9, 1, 3, 4, 0.3f, -0.05f, 1f, 1);
    }

    @Test
    void finiteDifferencesForQueriesOverCachedKeys() {
        GradCheck gc = new GradCheck(43);
        int B = 3, Tq = 3, Tk = 8, H = 2, D = 5, C = H * D;
        double[] q = gc.randn(B * Tq * C, 1), k = gc.randn(B * Tk * C, 1), v = gc.randn(B * Tk * C, 1);
        gc.check("clipped cached", List.of(GradCheck.Input.of(q, B, Tq, C), GradCheck.Input.of(k, B, Tk, C), GradCheck.Input.of(v, B, Tk, C)),
                xs -> F.attention(xs.get(0), xs.get(1), xs.get(2), H, clipped(xs.get(0), 0, 0f, 0L, -0.1f, 1.1f)).out(),
                r -> Ref.attention(r.get(0), r.get(1), r.get(2), B, H, Tq, Tk, D, 0, Arrays.copyOf(NO_EXTRA, H), 0f, 0L, -0.1, 1.1));
    }

    /**
     * Near-equal scores (q ≈ 0) with γ = −0.6: a row of n keys has weights ≈ clamp(1.6/n − 0.6, 0, 1), so every row
     * with 3 or more keys is clipped to all zeros. The finite differences still hold there (zero gradients).
     */
    @Test
    void finiteDifferencesWhereWholeRowsAreClippedToZero() {
        selfAttention("clipped to zero", 2, 7, 3, 5, 0, 0f, -0.6f, 1f, 1e-2);
    }

    @Test
    void rowsClippedToZeroOutputExactZerosAndGiveNoQueryGradient() {
        int B = 2, T = 9, H = 3, D = 5, C = H * D;
        try (var be = new CpuBackend(2, true); var scope = TensorScope.open()) {
            Rng rng = new Rng(11);
            float[] data = Tensor.randn(be, rng, 1f, B, T, 3 * C).toFloatArray();
            for (int row = 0; row < B * T; row++) Arrays.fill(data, row * 3 * C, row * 3 * C + C, 0f); // q = 0
            Tensor qkv = Tensor.of(be, data, B, T, 3 * C).requiresGrad(true);
            Tensor out = F.causalSelfAttention(qkv, H, clipped(qkv, 0, 0f, 0L, -0.6f, 1f)).out();
            out.backward(Tensor.randn(be, rng, 1f, B, T, C));
            float[] o = out.toFloatArray(), g = qkv.grad().toFloatArray();
            for (int b = 0; b < B; b++)
                for (int t = 0; t < T; t++) {
                    float[] row = Arrays.copyOfRange(o, (b * T + t) * C, (b * T + t + 1) * C);
                    float[] dq = Arrays.copyOfRange(g, (b * T + t) * 3 * C, (b * T + t) * 3 * C + C);
                    if (t >= 2) {
                        assertThat(row).as("b=%d t=%d: all %d weights clipped to 0", b, t, t + 1).containsOnly(0f);
                        assertThat(dq).as("b=%d t=%d: dq of an all-clipped row", b, t).containsOnly(0f);
                    } else {
                        // t = 0: the one weight is 1; t = 1: two weights of 1.6·0.5 − 0.6 = 0.2.
                        for (int c = 0; c < C; c++) {
                            float v0 = data[b * T * 3 * C + 2 * C + c], v1 = data[(b * T + 1) * 3 * C + 2 * C + c];
                            float expect = t == 0 ? v0 : 0.2f * (v0 + v1);
                            assertThat(row[c]).as("b=%d t=%d c=%d", b, t, c).isCloseTo(expect, within(1e-5f));
                        }
                    }
                }
            for (float x : g) assertThat(x).as("every gradient element written").isNotNaN();
        }
    }

    /** The fused kernel against softmax → affine → clamp → dropout → matmul in tensor ops, values and gradients. */
    @Test
    void fusedMatchesUnfusedCompositionPacked() {
        int B = 3, T = 13, H = 3, D = 7, C = H * D;
        for (int window : new int[] {0, 4})
            for (float dropout : new float[] {0f, 0.2f})
                for (float[] gz : new float[][] {{-0.03f, 1f}, {-0.1f, 1.1f}})
                    try (var be = new CpuBackend(2, true); var scope = TensorScope.open()) {
                        Rng rng = new Rng(5 + window);
                        float[] data = Tensor.randn(be, rng, 1.5f, B, T, 3 * C).toFloatArray();
                        float[] w = Tensor.randn(be, rng, 1f, B, T, C).toFloatArray();
                        Tensor fq = Tensor.of(be, data, B, T, 3 * C).requiresGrad(true);
                        F.AttentionOptions o = clipped(fq, window, dropout, 7L, gz[0], gz[1]);
                        Tensor fused = F.causalSelfAttention(fq, H, o).out();
                        fused.backward(Tensor.of(be, w, B, T, C));

                        Tensor uq = Tensor.of(be, data, B, T, 3 * C).requiresGrad(true);
                        List<Tensor> parts = uq.split(2, C, C, C);
                        Tensor unfused = composition(parts.get(0), parts.get(1), parts.get(2), H, window, o, gz[0], gz[1]);
                        unfused.backward(Tensor.of(be, w, B, T, C));
                        String what = "window=" + window + " dropout=" + dropout + " gamma=" + gz[0];
                        assertClose(what + " out", fused.toFloatArray(), unfused.toFloatArray());
                        assertClose(what + " dqkv", fq.grad().toFloatArray(), uq.grad().toFloatArray());
                    }
    }

    /** As above with queries over a longer run of cached keys (Tk &gt; Tq), separate q, k, v. */
    @Test
    void fusedMatchesUnfusedCompositionCached() {
        int B = 3, Tq = 5, Tk = 11, H = 3, D = 9, C = H * D;
        for (float dropout : new float[] {0f, 0.3f})
            try (var be = new CpuBackend(2, true); var scope = TensorScope.open()) {
                Rng rng = new Rng(17);
                float[] qd = Tensor.randn(be, rng, 1.5f, B, Tq, C).toFloatArray();
                float[] kd = Tensor.randn(be, rng, 1f, B, Tk, C).toFloatArray();
                float[] vd = Tensor.randn(be, rng, 1f, B, Tk, C).toFloatArray();
                float[] w = Tensor.randn(be, rng, 1f, B, Tq, C).toFloatArray();
                Tensor[] f = {Tensor.of(be, qd, B, Tq, C).requiresGrad(true), Tensor.of(be, kd, B, Tk, C).requiresGrad(true),
                        Tensor.of(be, vd, B, Tk, C).requiresGrad(true)};
                F.AttentionOptions o = clipped(f[0], 0, dropout, 3L, -0.05f, 1.02f);
                Tensor fused = F.attention(f[0], f[1], f[2], H, o).out();
                fused.backward(Tensor.of(be, w, B, Tq, C));
                Tensor[] u = {Tensor.of(be, qd, B, Tq, C).requiresGrad(true), Tensor.of(be, kd, B, Tk, C).requiresGrad(true),
                        Tensor.of(be, vd, B, Tk, C).requiresGrad(true)};
                Tensor unfused = composition(u[0], u[1], u[2], H, 0, o, -0.05f, 1.02f);
                unfused.backward(Tensor.of(be, w, B, Tq, C));
                assertClose("cached out dropout=" + dropout, fused.toFloatArray(), unfused.toFloatArray());
                String[] names = {"dq", "dk", "dv"};
                for (int i = 0; i < 3; i++)
                    assertClose("cached " + names[i] + " dropout=" + dropout, f[i].grad().toFloatArray(), u[i].grad().toFloatArray());
            }
    }

    /** Clipped attention from tensor ops: (B, H, Tq, Tk) scores, masked softmax, affine, clamp, dropout, weighted sum. */
    private static Tensor composition(Tensor q, Tensor k, Tensor v, int H, int window, F.AttentionOptions o, float gamma,
                                      float zeta) {
        int B = q.dim(0), tq = q.dim(1), tk = k.dim(1), C = q.dim(2), D = C / H;
        Tensor qh = q.reshape(B, tq, H, D).permute(0, 2, 1, 3);
        Tensor kh = k.reshape(B, tk, H, D).permute(0, 2, 1, 3);
        Tensor vh = v.reshape(B, tk, H, D).permute(0, 2, 1, 3);
        Tensor s = qh.matmul(kh, false, true).mul((float) (1 / Math.sqrt(D)));
        Tensor p = F.softmax(s, new CausalMask(tq, tk, tk - tq, window), Float.NEGATIVE_INFINITY)
                .mul(zeta - gamma).add(gamma).clamp(0f, 1f);
        if (o.dropout() > 0) p = F.dropout(p, o.dropout(), o.dropoutSeed());
        return p.matmul(vh).permute(0, 2, 1, 3).reshape(B, tq, C);
    }

    private static void assertClose(String what, float[] actual, float[] expected) {
        assertThat(actual).as(what + " length").hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++)
            assertThat((double) actual[i]).as("%s element %d", what, i)
                    .isCloseTo(expected[i], within(1e-5 * Math.max(1, Math.abs(expected[i]))));
    }

    /** The CPU backend's clipped-softmax kernel (its optional extension) as the attention's kernel. */
    private static F.AttentionOptions clipped(Tensor on, int window, float dropout, long seed, float gamma, float zeta) {
        Attention kernel = on.backend().extension(ClippedSoftmaxKernels.class).orElseThrow().clipped(gamma, zeta);
        return new F.AttentionOptions(window, Float.NEGATIVE_INFINITY, null, dropout, seed).withKernel(kernel);
    }

    @Test
    void clippingIsValidatedAndNotMixedWithExtraLogits() {
        try (var be = new CpuBackend(1, true); var scope = TensorScope.open()) {
            ClippedSoftmaxKernels kernels = be.extension(ClippedSoftmaxKernels.class).orElseThrow();
            assertThatThrownBy(() -> kernels.clipped(0.1f, 1f)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gamma");
            assertThatThrownBy(() -> kernels.clipped(-0.1f, 0.9f)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("zeta");
            Tensor qkv = Tensor.randn(be, new Rng(1), 1f, 1, 4, 6);
            Tensor sinks = Tensor.of(be, new float[] {0f}, 1);
            assertThatThrownBy(() -> F.causalSelfAttention(qkv, 1,
                    new F.AttentionOptions(0, Float.NEGATIVE_INFINITY, sinks, 0f, 0L).withKernel(kernels.clipped(-0.1f, 1f))))
                    .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("learned logit");
            assertThatThrownBy(() -> F.causalSelfAttention(qkv, 1,
                    new F.AttentionOptions(0, 0f, null, 0f, 0L).withKernel(kernels.clipped(-0.1f, 1f))))
                    .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("extra");
        }
    }
}
