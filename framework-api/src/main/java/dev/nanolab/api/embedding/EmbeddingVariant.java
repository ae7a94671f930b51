package dev.nanolab.api.embedding;

/**
 * The embedding component ({@link dev.nanolab.api.plugin.ComponentKind#EMBEDDING}), e.g. {@code token} or {@code mot}:
 * made from its config record, it creates a model's input embedding layer.
 */
public interface EmbeddingVariant {
    TokenEmbedding create(EmbeddingContext context);
}
