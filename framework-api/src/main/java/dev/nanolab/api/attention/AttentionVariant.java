package dev.nanolab.api.attention;

/**
 * The attention-variant component ({@link dev.nanolab.api.plugin.ComponentKind#ATTENTION}): how a block's
 * attention normalises its scores. Made from its config, it creates one {@link AttentionLayer} per block.
 */
@FunctionalInterface
public interface AttentionVariant {
    AttentionLayer create(AttentionSpec spec);

    /**
     * A variant from a score normaliser alone, run through the unfused path (scores, mask, normaliser, dropout,
     * weighted sum of values); autograd provides the backward.
     */
    static AttentionVariant ofNormalizer(ScoreNormalizer normalizer) {
        return spec -> new NormalizedAttention(spec, normalizer, 0);
    }
}
