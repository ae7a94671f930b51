/**
 * Input embeddings as plugins: the component ({@link dev.nanolab.api.embedding.EmbeddingVariant}, kind
 * {@code embedding}, chosen by {@code model.embedding}) creates the layer that turns token ids into a model's first
 * hidden states ({@link dev.nanolab.api.embedding.TokenEmbedding}). {@code token} is the plain lookup; {@code mot}
 * (mixture of tokenizers) attends from each token to the bytes of itself and of the tokens before it.
 */
package dev.nanolab.api.embedding;
