package dev.nanolab.api.backend;

/**
 * Fused causal scaled-dot-product attention, tiled with an online (flash-style) softmax so the T×T score matrix is
 * never materialised: {@code out_i = Σ_j p_ij v_j} with {@code p_ij = exp(s_ij) / (exp(e_h) + Σ_k exp(s_ik))},
 * {@code s_ij = scale · q_i·k_j} over the keys the mask allows. The extra logit {@code e_h} is
 * {@link AttentionArgs#extraLogit} or, when {@code sinkLogits} is given, a learned per-head value (an attention
 * sink with a zero value vector). See {@link AttentionArgs} for the memory layout; the operands and gradients are
 * row views ({@link RowView}), so q, k and v are read in place from a packed projection or a KV cache.

 */
public interface Attention {
    /** Writes {@code x.out()} and {@code x.lse()}. */
    void forward(AttentionArgs args, AttentionOperands x);

    /** Writes (or accumulates) the gradients of q, k, v, and accumulates the learned sinks' gradient, from dOut. */
    void backward(AttentionArgs args, AttentionOperands x, RowView dOut, AttentionGradients grads);
}
