package dev.nanolab.attention;

import dev.nanolab.api.attention.AttentionInputs;
import dev.nanolab.api.attention.AttentionLayer;
import dev.nanolab.api.attention.AttentionSpec;

import dev.nanolab.api.backend.Attention;
import dev.nanolab.api.backend.CausalMask;
import dev.nanolab.api.nn.F;
import dev.nanolab.api.nn.Init;
import dev.nanolab.api.tensor.Tensor;

/**
 * Attention on a fused kernel: causal, optionally windowed, with a constant extra logit in the softmax denominator
 * (−∞ softmax, 0 softmax1) or a learned one per head (an attention sink). The kernel is the backend's own, or one a
 * variant brings (clipped softmax's optional backend extension) with the same contract.
 */
public final class FusedAttention extends AttentionLayer {
    private final AttentionSpec spec;
    private final int window;
    private final float extraLogit;
    private final Tensor sinkLogits;
    private final Attention kernel;

    /**
     * @param window     sliding-window width, 0 for none
     * @param extraLogit constant extra denominator logit; ignored with learned sinks
     * @param learnedSink whether each head learns its own extra logit (initialised to extraLogit, or 0 if −∞)
     */
    public FusedAttention(AttentionSpec spec, int window, float extraLogit, boolean learnedSink) {
        this(spec, window, extraLogit, learnedSink, null);
    }

    /** @param kernel the fused kernel to run, or null for the backend's own */
    FusedAttention(AttentionSpec spec, int window, float extraLogit, boolean learnedSink, Attention kernel) {
        this.spec = spec;
        this.window = window;
        this.extraLogit = extraLogit;
        this.kernel = kernel;
        float init = Float.isInfinite(extraLogit) ? 0f : extraLogit;
        this.sinkLogits = learnedSink ? parameter("sink_logits", Init.constant(init).create(spec.backend(), spec.nHead())) : null;
    }

    private F.AttentionOptions options(AttentionInputs in) {
        float p = isTraining() ? spec.dropout() : 0f;
        long seed = p > 0 ? spec.dropoutRng().nextLong() : 0L;
        return new F.AttentionOptions(in.window(window), extraLogit, sinkLogits, p, seed, kernel, in.documentStarts(),
                spec.scale());
    }

    @Override
    public Tensor attend(AttentionInputs in) {
        F.AttentionOptions o = options(in);
        if (in.packedQkv() != null) return emit(F.causalSelfAttention(in.packedQkv(), spec.nHead(), o).out());
        return emit(F.attention(in.q(), in.k(), in.v(), spec.nHead(), o).out());
    }

    @Override
    public Tensor probabilities(AttentionInputs in) {
        Tensor scores = scores(in, spec);
        int b = in.q().dim(0), tq = in.queries(), tk = in.keys(), h = spec.nHead();
        CausalMask mask = in.mask(window, h);
        if (sinkLogits == null) return F.softmax(scores, mask, extraLogit);
        // A learned extra logit per head: one extra score column, dropped after the softmax.
        Tensor sinks = sinkLogits.reshape(1, h, 1, 1).expand(b, h, tq, 1);
        Tensor withSink = Tensor.concat(3, java.util.List.of(F.maskFill(scores, mask, Float.NEGATIVE_INFINITY), sinks));
        return F.softmax(withSink).slice(3, 0, tk);
    }

    /** The scaled scores q·kᵀ·scale (1/√D unless the model sets another), (B, H, Tq, Tk), unmasked. */
    static Tensor scores(AttentionInputs in, AttentionSpec spec) {
        int b = in.q().dim(0), tq = in.queries(), tk = in.keys(), h = spec.nHead(), d = spec.headDim();
        Tensor q = in.q().reshape(b, tq, h, d).permute(0, 2, 1, 3);
        Tensor k = in.k().reshape(b, tk, h, d).permute(0, 2, 1, 3);
        return q.matmul(k, false, true).mul(spec.scale());
    }

    /** The per-head sink logits, or null. */
    public Tensor sinkLogits() {
        return sinkLogits;
    }
}
