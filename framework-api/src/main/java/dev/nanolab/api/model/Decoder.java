package dev.nanolab.api.model;

import dev.nanolab.api.tensor.Tensor;

/**
 * Incremental generation: feed tokens, get the next-token logits. A GPT keeps a KV cache, an LSTM its hidden state;
 * either way a new token costs one step, not a pass over the whole prefix. Runs without gradients.
 */
public interface Decoder extends AutoCloseable {
    /** Appends tokens (B, n) to every sequence and returns the logits (B, V) for the position after them. */
    Tensor feed(Tensor ids);

    /** Frees cached state. */
    @Override
    default void close() {}
}
