package dev.nanolab.attention;

import dev.nanolab.api.attention.AttentionInputs;
import dev.nanolab.api.attention.AttentionLayer;
import dev.nanolab.api.attention.AttentionSpec;

import dev.nanolab.api.backend.CausalMask;
import dev.nanolab.api.nn.F;
import dev.nanolab.api.nn.Init;
import dev.nanolab.api.tensor.Tensor;

/**
 * Attention on the backend's fused kernel: causal, optionally windowed, with a constant extra logit in the softmax
 * denominator (−∞ softmax, 0 softmax1) or a learned one per head (an attention sink), or with the softmax clipped,
 * {@code clamp((ζ − γ)·softmax + γ, 0, 1)}.
 */
public final class FusedAttention extends AttentionLayer {
    private final AttentionSpec spec;
    private final int window;
    private final float extraLogit;
    private final Tensor sinkLogits;
    private final float clipGamma, clipZeta;

    /**
     * @param window     sliding-window width, 0 for none
     * @param extraLogit constant extra denominator logit; ignored with learned sinks
     * @param learnedSink whether each head learns its own extra logit (initialised to extraLogit, or 0 if −∞)
     */
    public FusedAttention(AttentionSpec spec, int window, float extraLogit, boolean learnedSink) {
        this(spec, window, extraLogit, learnedSink, 0f, 1f);
    }

    /**
     * @param clipGamma γ ≤ 0 of the clipped softmax (0 with ζ = 1: no clipping)
     * @param clipZeta  ζ ≥ 1 of the clipped softmax
     */
    public FusedAttention(AttentionSpec spec, int window, float extraLogit, boolean learnedSink, float clipGamma,
                          float clipZeta) {
        if ((clipGamma != 0 || clipZeta != 1) && (learnedSink || extraLogit != Float.NEGATIVE_INFINITY))
            throw new IllegalArgumentException("clipped softmax cannot be combined with an extra or learned logit");
        this.spec = spec;
        this.clipGamma = clipGamma;
        this.clipZeta = clipZeta;
        this.window = window;
        this.extraLogit = extraLogit;
        float init = Float.isInfinite(extraLogit) ? 0f : extraLogit;
        this.sinkLogits = learnedSink ? parameter("sink_logits", Init.constant(init).create(spec.backend(), spec.nHead())) : null;
    }

    private F.AttentionOptions options() {
        float p = isTraining() ? spec.dropout() : 0f;
        long seed = p > 0 ? spec.dropoutRng().nextLong() : 0L;
        return new F.AttentionOptions(window, extraLogit, sinkLogits, p, seed, clipGamma, clipZeta);
    }

    @Override
    public Tensor attend(AttentionInputs in) {
        F.AttentionOptions o = options();
        if (in.packedQkv() != null) return emit(F.causalSelfAttention(in.packedQkv(), spec.nHead(), o).out());
        return emit(F.attention(in.q(), in.k(), in.v(), spec.nHead(), o).out());
    }

    @Override
    public Tensor probabilities(AttentionInputs in) {
        int b = in.q().dim(0), tq = in.queries(), tk = in.keys(), h = spec.nHead(), d = spec.headDim();
        Tensor q = in.q().reshape(b, tq, h, d).permute(0, 2, 1, 3);
        Tensor k = in.k().reshape(b, tk, h, d).permute(0, 2, 1, 3);
        Tensor scores = q.matmul(k, false, true).mul((float) (1.0 / Math.sqrt(d)));
        CausalMask mask = new CausalMask(tq, tk, tk - tq, window);
        // Masked keys have softmax 0, so γ ≤ 0 clamps them back to 0.
        if (clipGamma != 0 || clipZeta != 1)
            return F.softmax(scores, mask, extraLogit).mul(clipZeta - clipGamma).add(clipGamma).clamp(0f, 1f);
        if (sinkLogits == null) return F.softmax(scores, mask, extraLogit);
        // A learned extra logit per head: one extra score column, dropped after the softmax.
        Tensor sinks = sinkLogits.reshape(1, h, 1, 1).expand(b, h, tq, 1);
        Tensor withSink = Tensor.concat(3, java.util.List.of(F.maskFill(scores, mask, Float.NEGATIVE_INFINITY), sinks));
        return F.softmax(withSink).slice(3, 0, tk);
    }

    /** The per-head sink logits, or null. */
    public Tensor sinkLogits() {
        return sinkLogits;
    }
}
