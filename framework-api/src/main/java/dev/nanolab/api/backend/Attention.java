package dev.nanolab.api.backend;

/**
 * Fused causal scaled-dot-product attention, tiled with an online (flash-style) softmax so the T×T score matrix is
 * never materialised: {@code out_i = Σ_j p_ij v_j} with {@code p_ij = exp(s_ij) / (exp(e_h) + Σ_k exp(s_ik))},
 * {@code s_ij = scale · q_i·k_j} over the keys the mask allows. The extra logit {@code e_h} is
 * {@link AttentionArgs#extraLogit} or, when {@code sinkLogits} is given, a learned per-head value (an attention
 * sink with a zero value vector). See {@link AttentionArgs} for the memory layout.
 *
 * <p>Clipped softmax ({@link AttentionArgs#clipped()}): {@code out_i = Σ_j clamp((ζ − γ)·p_ij + γ, 0, 1) v_j}, with
 * dropout applied to the clipped weights and no renormalisation; lse is still that of the softmax p. A backend may
 * reject clipping together with learned sinks, or altogether, with an {@link UnsupportedOperationException}.
 */
public interface Attention {
    /**
     * @param lse        (B, H, Tq): the log of each row's denominator, saved for the backward
     * @param sinkLogits (H) learned extra logits, or null
     */
    void forward(AttentionArgs args,
                 Storage q, long qOffset, int qRowStride,
                 Storage k, long kOffset, int kRowStride,
                 Storage v, long vOffset, int vRowStride,
                 Storage out, long outOffset, int outRowStride,
                 Storage lse, Storage sinkLogits);

    /**
     * Writes (or accumulates) dq, dk, dv in the same layouts as q, k, v, and accumulates dSinkLogits when sinks are
     * learned.
     */
    void backward(AttentionArgs args,
                  Storage q, long qOffset, int qRowStride,
                  Storage k, long kOffset, int kRowStride,
                  Storage v, long vOffset, int vRowStride,
                  Storage out, long outOffset, int outRowStride,
                  Storage dOut, long dOutOffset, int dOutRowStride,
                  Storage lse, Storage sinkLogits,
                  Storage dq, long dqOffset, int dqRowStride,
                  Storage dk, long dkOffset, int dkRowStride,
                  Storage dv, long dvOffset, int dvRowStride,
                  Storage dSinkLogits, boolean accumulate);
}
