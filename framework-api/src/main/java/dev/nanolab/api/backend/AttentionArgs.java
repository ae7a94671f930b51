package dev.nanolab.api.backend;

/**
 * The shapes and options of one fused causal scaled-dot-product attention.
 *
 * <p>Memory layout: queries, keys, values and the output are arrays of rows, one row per (batch, position), each
 * holding all heads side by side: element d of head h for batch b at position t is at
 * {@code offset + (b·T + t)·rowStride + h·headDim + d}, with T = {@link #queries} for q and the output and
 * T = {@link #keys} for k and v. So q, k and v can be read straight out of a packed (B, T, 3C) projection (row
 * stride 3C, offsets 0, C, 2C), and k, v out of a KV cache. The per-row log-sum-exp saved for the backward is
 * (batch, heads, queries).
 *
 * @param batch        B
 * @param heads        H
 * @param queries      query positions per sequence
 * @param keys         key positions per sequence (≥ queries; more when keys come from a cache)
 * @param headDim      D; C = H·D
 * @param mask         which keys each query sees (causal, optional sliding window)
 * @param scale        multiplies q·k, usually 1/√D
 * @param extraLogit   constant extra term in the softmax denominator: -∞ none, 0 softmax1; ignored when a learned
 *                     per-head logit storage is given
 * @param dropout      attention-weight dropout probability (0 in eval)
 * @param dropoutSeed  seed of the counter-based dropout mask, regenerated identically in the backward
 * @param clipGamma    γ ≤ 0 of the clipped softmax: the weights are {@code clamp((ζ − γ)·softmax + γ, 0, 1)}, applied
 *                     before dropout and not renormalised; γ = 0 and ζ = 1 is no clipping
 * @param clipZeta     ζ ≥ 1 of the clipped softmax
 */
public record AttentionArgs(int batch, int heads, int queries, int keys, int headDim, CausalMask mask, float scale,
                            float extraLogit, float dropout, long dropoutSeed, float clipGamma, float clipZeta) {
    public AttentionArgs {
        if (batch < 1 || heads < 1 || queries < 1 || keys < queries || headDim < 1)
            throw new IllegalArgumentException("bad attention shape B=" + batch + " H=" + heads + " Tq=" + queries
                    + " Tk=" + keys + " D=" + headDim);
        if (!(dropout >= 0 && dropout < 1)) throw new IllegalArgumentException("attention dropout " + dropout);
        if (!(clipGamma <= 0) || !(clipZeta >= 1) || Float.isInfinite(clipGamma) || Float.isInfinite(clipZeta))
            throw new IllegalArgumentException("clipped softmax needs finite gamma <= 0 and zeta >= 1, got gamma="
                    + clipGamma + " zeta=" + clipZeta);
        // The clip acts on normalised weights; an extra denominator term would change what "normalised" means.
        if ((clipGamma != 0 || clipZeta != 1) && extraLogit != Float.NEGATIVE_INFINITY)
            throw new IllegalArgumentException("clipped softmax cannot be combined with an extra logit (softmax1)");
    }

    /** Attention without clipping. */
    public AttentionArgs(int batch, int heads, int queries, int keys, int headDim, CausalMask mask, float scale,
                         float extraLogit, float dropout, long dropoutSeed) {
        this(batch, heads, queries, keys, headDim, mask, scale, extraLogit, dropout, dropoutSeed, 0f, 1f);
    }

    /** Whether the weights are clipped (γ &lt; 0 or ζ &gt; 1). */
    public boolean clipped() {
        return clipGamma != 0 || clipZeta != 1;
    }
}
