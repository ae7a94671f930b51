package dev.nanolab.models.embedding;

import dev.nanolab.api.config.Doc;
import dev.nanolab.api.config.Range;

/**
 * The mixture-of-tokenizers embedding's options.
 *
 * @param charsPerToken bytes kept per token (padded or cut), K
 * @param charDim       width of the byte embeddings and of both attentions; 0 = the model width
 * @param heads         heads of the byte self-attention and of the cross-attention
 * @param previousTokens k: each token attends to the bytes of itself and of the k tokens before it
 * @param selfAttentionWindow 0 for none; else a causal self-attention over the byte (or pooled unit) sequence, each
 *                      unit seeing this many units back including itself
 * @param pool          bytes summed into one unit before the attentions (the devlog's 4×4 pooling is pool 4); 1 = none
 * @param residual      add λ·(token embedding) to the cross-attention's up-projection (λ learned, from 1)
 */
public record MotConfig(
        @Doc("bytes per token (padded with a pad id or cut)") @Range(min = 1, max = 256) int charsPerToken,
        @Doc("byte-embedding and attention width; 0 = the model width") @Range(min = 0) int charDim,
        @Doc("heads of the byte self-attention and the cross-attention") @Range(min = 1) int heads,
        @Doc("each token also attends to the bytes of this many previous tokens") @Range(min = 0, max = 64) int previousTokens,
        @Doc("byte self-attention window in units (0 = no self-attention)") @Range(min = 0) int selfAttentionWindow,
        @Doc("bytes summed into one unit, each weighted by a learned per-slot vector (1 = none; 4 = the devlog's 4x4 pooling)") @Range(min = 1) int pool,
        @Doc("a learned residual from the token embedding around the cross-attention") boolean residual) {

    public MotConfig {
        if (charsPerToken % pool != 0)
            throw new IllegalArgumentException("model.embedding.pool " + pool + " must divide chars_per_token " + charsPerToken);
    }

    /** The devlog's cheap variant: 16 bytes per token, cross-attention only, 64 wide. */
    public MotConfig() {
        this(16, 64, 4, 0, 0, 1, false);
    }

    /** Pooled units per token. */
    public int unitsPerToken() {
        return charsPerToken / pool;
    }
}
