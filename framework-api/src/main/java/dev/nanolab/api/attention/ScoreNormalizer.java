package dev.nanolab.api.attention;

import dev.nanolab.api.tensor.Tensor;

/**
 * A new attention normaliser, written as a function of the score rows: given scaled scores (B, H, Tq, Tk) with
 * masked positions at -∞, return weights of the same shape. Written with tensor ops, it needs no backward code:
 * autograd differentiates it. {@link AttentionVariant#ofNormalizer} turns it into a working variant.
 *
 * <pre>{@code
 * // softmax1, "quiet attention": exp(x_i) / (1 + Σ_j exp(x_j))
 * ScoreNormalizer quiet = s -> {
 *     Tensor m = s.max(-1, true).clamp(0f, Float.POSITIVE_INFINITY).detach(); // shift by max(max_j x_j, 0)
 *     Tensor e = s.sub(m).exp();
 *     return e.div(e.sum(-1, true).add(m.neg().exp()));                     // the "1 +" is exp(0 − m)
 * };
 * }</pre>
 */
@FunctionalInterface
public interface ScoreNormalizer {
    Tensor normalize(Tensor maskedScores);
}
