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
 */
public record AttentionArgs(int batch, int heads, int queries, int keys, int headDim, CausalMask mask, float scale,
                            float extraLogit, float dropout, long dropoutSeed) {
    public AttentionArgs {
        if (batch < 1 || heads < 1 || queries < 1 || keys < queries || headDim < 1)
            throw new IllegalArgumentException("bad attention shape B=" + batch + " H=" + heads + " Tq=" + queries
                    + " Tk=" + keys + " D=" + headDim);
        if (!(dropout >= 0 && dropout < 1)) throw new IllegalArgumentException("attention dropout " + dropout);
    }
}
