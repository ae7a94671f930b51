package dev.nanolab.api.backend;

/**
 * What a fused attention reads and writes (layouts: {@link AttentionArgs}).
 *
 * @param q, k, v    the inputs, each (B, T, H·D) rows
 * @param out        the output, (B, Tq, H·D) rows
 * @param lse        (B, H, Tq): the log of each row's softmax denominator, written by the forward for the backward
 * @param sinkLogits (H) learned extra logits (attention sinks), or null
 */
public record AttentionOperands(RowView q, RowView k, RowView v, RowView out, Storage lse, Storage sinkLogits) {}
