package dev.nanolab.attention;

import dev.nanolab.api.attention.AttentionInputs;
import dev.nanolab.api.attention.AttentionLayer;
import dev.nanolab.api.attention.AttentionSpec;
import dev.nanolab.api.attention.AttentionVariant;
import dev.nanolab.api.backend.ext.ClippedSoftmaxKernels;
import dev.nanolab.api.config.Doc;
import dev.nanolab.api.nn.F;
import dev.nanolab.api.tensor.Tensor;

/**
 * Clipped softmax, {@code clip((ζ − γ)·softmax(x) + γ, 0, 1)}, from Bondarenko, Nagel and Blankevoort (2023),
 * "Quantizable Transformers: Removing Outliers by Helping Attention Heads Do Nothing". With γ &lt; 0 a head can put
 * exactly zero weight on tokens without pushing its logits to extremes, which is what grows activation outliers.
 *
 * <p>Runs on the backend's fused clipped kernel where the backend offers one ({@link ClippedSoftmaxKernels}; the CPU
 * backend does): the clip needs each row's softmax denominator before any weight is known, so that kernel makes two
 * passes over a row's keys. Elsewhere it composes the same function from core kernels: scores, masked softmax, clip,
 * dropout with the same counter-based mask, and the weighted sum, materialising the (B, H, Tq, Tk) weights.
 */
public final class ClippedSoftmax extends AttentionLayer {
    /**
     * @param gamma the lower stretch γ (≤ 0); the paper writes γ = −α/T and found α of a few units best
     * @param zeta  the upper stretch ζ (≥ 1)
     */
    public record Config(@Doc("lower stretch γ (≤ 0)") float gamma, @Doc("upper stretch ζ (≥ 1)") float zeta) {
        public Config {
            if (gamma > 0) throw new IllegalArgumentException("gamma must be <= 0, got " + gamma);
            if (zeta < 1) throw new IllegalArgumentException("zeta must be >= 1, got " + zeta);
        }

        public Config() {
            this(-0.03f, 1f);
        }
    }

    static AttentionVariant variant(Config c) {
        return spec -> new ClippedSoftmax(spec, c, true);
    }

    private final AttentionSpec spec;
    private final float gamma, zeta;
    /** The fused path, when the backend has the kernel; null: composed. */
    private final FusedAttention fused;

    /** @param useKernel take the backend's fused kernel when it has one (false: always compose, for tests) */
    ClippedSoftmax(AttentionSpec spec, Config c, boolean useKernel) {
        this.spec = spec;
        this.gamma = c.gamma();
        this.zeta = c.zeta();
        this.fused = useKernel ? spec.backend().extension(ClippedSoftmaxKernels.class)
                .map(k -> new FusedAttention(spec, 0, Float.NEGATIVE_INFINITY, false, k.clipped(gamma, zeta)))
                .orElse(null) : null;
    }

    /** Whether this layer runs on a fused kernel. */
    boolean isFused() {
        return fused != null;
    }

    @Override
    public Tensor attend(AttentionInputs in) {
        if (fused != null) {
            // Not a child (it would be a second attention layer in the model's tree): its mode follows this one's.
            if (fused.isTraining() != isTraining()) {
                if (isTraining()) fused.train();
                else fused.eval();
            }
            return emit(fused.attend(in));
        }
        float p = isTraining() ? spec.dropout() : 0f;
        Tensor w = probabilities(in);
        // Same counter-based mask as the fused kernel: element ((b·H + h)·Tq + i)·Tk + j of the weights.
        if (p > 0) w = F.dropout(w, p, spec.dropoutRng().nextLong());
        int b = in.q().dim(0), tq = in.queries(), tk = in.keys(), h = spec.nHead(), d = spec.headDim();
        Tensor v = in.v().reshape(b, tk, h, d).permute(0, 2, 1, 3);
        return emit(w.matmul(v).permute(0, 2, 1, 3).reshape(b, tq, h * d));
    }

    @Override
    public Tensor probabilities(AttentionInputs in) {
        Tensor scores = FusedAttention.scores(in, spec);
        // Masked keys have softmax 0, so γ ≤ 0 clamps them back to 0.
        return F.softmax(scores, in.mask(0, spec.nHead()), Float.NEGATIVE_INFINITY)
                .mul(zeta - gamma).add(gamma).clamp(0f, 1f);
    }
}
