/**
 * Attention variants: the component ({@link dev.nanolab.api.attention.AttentionVariant}) creates one
 * {@link dev.nanolab.api.attention.AttentionLayer} per block. Two ready layers cover most variants:
 * {@link dev.nanolab.api.attention.FusedAttention} (the backend's fused kernel: softmax, softmax1, sliding window,
 * learned sinks) and {@link dev.nanolab.api.attention.NormalizedAttention} (any
 * {@link dev.nanolab.api.attention.ScoreNormalizer}, with autograd for the backward).
 */
package dev.nanolab.api.attention;
