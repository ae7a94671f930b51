package dev.nanolab.api.attention;

import dev.nanolab.api.nn.F;
import dev.nanolab.api.tensor.Tensor;

/**
 * Attention through an arbitrary {@link ScoreNormalizer}, composed from tensor ops: the (B, H, Tq, Tk) weights are
 * materialised, which is the price of needing no backward code.
 */
public final class NormalizedAttention extends AttentionLayer {
    private final AttentionSpec spec;
    private final ScoreNormalizer normalizer;
    private final int window;

    /** @param window sliding-window width, 0 for none */
    public NormalizedAttention(AttentionSpec spec, ScoreNormalizer normalizer, int window) {
        this.spec = spec;
        this.normalizer = normalizer;
        this.window = window;
    }

    @Override
    public Tensor probabilities(AttentionInputs in) {
        int b = in.q().dim(0), tq = in.queries(), tk = in.keys(), h = spec.nHead(), d = spec.headDim();
        Tensor q = in.q().reshape(b, tq, h, d).permute(0, 2, 1, 3);
        Tensor k = in.k().reshape(b, tk, h, d).permute(0, 2, 1, 3);
        Tensor scores = q.matmul(k, false, true).mul(spec.scale());
        Tensor masked = F.maskFill(scores, in.mask(window, h), Float.NEGATIVE_INFINITY);
        return normalizer.normalize(masked);
    }

    @Override
    public Tensor attend(AttentionInputs in) {
        int b = in.q().dim(0), tq = in.queries(), tk = in.keys(), h = spec.nHead(), d = spec.headDim();
        Tensor p = probabilities(in);
        if (isTraining() && spec.dropout() > 0) p = F.dropout(p, spec.dropout(), spec.dropoutRng().nextLong());
        Tensor v = in.v().reshape(b, tk, h, d).permute(0, 2, 1, 3);
        return emit(p.matmul(v).permute(0, 2, 1, 3).reshape(b, tq, h * d));
    }
}
