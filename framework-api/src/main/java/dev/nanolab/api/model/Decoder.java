package dev.nanolab.api.model;

import dev.nanolab.api.backend.DType;
import dev.nanolab.api.tensor.Tensor;

/**
 * Incremental generation: feed tokens, get the next-token logits. A GPT keeps a KV cache, an LSTM its hidden state;
 * either way a new token costs one step, not a pass over the whole prefix. Runs without gradients.
 */
public interface Decoder extends AutoCloseable {
    /** Appends tokens (B, n) to every sequence and returns the logits (B, V) for the position after them. */
    Tensor feed(Tensor ids);

    /** The check every {@link #feed} starts with: int32 ids of shape (batch, n), n ≥ 1; a one-line error otherwise. */
    static void checkIds(Tensor ids, int batch) {
        if (ids.dtype() != DType.I32 || ids.rank() != 2 || ids.dim(0) != batch || ids.dim(1) == 0)
            throw new IllegalArgumentException("decoder: expected int32 ids of shape (" + batch + ", n), n >= 1, got " + ids.describe());
    }

    /** Frees cached state. */
    @Override
    default void close() {}
}
