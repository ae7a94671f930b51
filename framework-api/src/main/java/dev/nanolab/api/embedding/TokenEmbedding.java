package dev.nanolab.api.embedding;

import dev.nanolab.api.nn.Layer;
import dev.nanolab.api.tensor.Tensor;

/**
 * A model's input embedding: int32 ids (B, T) to hidden states (B, T, C). Position t's vector may depend on the ids
 * of positions t − {@link #contextTokens()} … t (never on later ones), so a KV-cached decoder passes that many earlier
 * ids as {@code context}. The token table is {@link #tokenTable()}, for models that tie their LM head to it; its
 * parameter is named {@code weight} so a {@code token} embedding keeps the checkpoint names of a plain lookup.
 */
public abstract class TokenEmbedding extends Layer {
    /**
     * Embeddings (B, T, C) of {@code ids} (B, T). {@code context} (B, m), m ≤ {@link #contextTokens()}, holds the ids
     * just before them (null or m = 0 at the start of a sequence): the result for ids is then what the whole sequence
     * context + ids gives at those positions.
     */
    public abstract Tensor forward(Tensor ids, Tensor context);

    public final Tensor forward(Tensor ids) {
        return forward(ids, null);
    }

    /** How many earlier tokens a position's embedding reads (0 for a lookup). */
    public int contextTokens() {
        return 0;
    }

    /** The (vocab, C) token table. */
    public abstract Tensor tokenTable();
}
