package dev.nanolab.api.backend.ext;

import dev.nanolab.api.backend.LogitSoftcap;
import dev.nanolab.api.backend.Storage;

/**
 * The LM head and its cross-entropy in one pass over row blocks: {@code loss = mean CE(softcap(x·Wᵀ), targets)} with
 * the (rows, vocab) logits never written whole, only a block of {@link #blockRows} rows at a time (Liger Kernel's
 * fused linear cross-entropy). For GPT-2's 50,257 classes at B8 T1024 the whole logits and their gradient would be
 * 3.3 GB; the blocks take a block's logits plus one (vocab, channels) buffer for W's gradient.
 *
 * <p>The gradients are computed in the forward, block by block, while the block's logits are at hand (no second
 * GEMM in the backward), as the gradient of the mean loss itself; the caller scales them by the incoming dLoss in
 * the backward.
 *
 * <p>Layout: x (rows, channels), W (vocab, channels) as a linear layer's weight, targets (rows) int32; dx like x, dW
 * like W. Targets equal to {@code ignoreIndex} count for nothing, as in {@link dev.nanolab.api.backend.Losses}.
 *
 * <p>Optional ({@link dev.nanolab.api.backend.Backend#extension}): {@code F.linearCrossEntropy} composes
 * {@code F.linear} and {@code F.crossEntropy} on a backend without it, and also where the whole logits fit one block
 * (then the unfused path does the same work with one buffer less).
 */
public interface LinearCrossEntropyKernels {
    /** The shape of one head: rows of x, its channels, the vocabulary, the ignored target and the softcap (or null). */
    record Head(int rows, int channels, int vocab, int ignoreIndex, LogitSoftcap softcap) {
        public Head {
            if (rows < 0 || channels < 1 || vocab < 1)
                throw new IllegalArgumentException("linear cross-entropy: rows " + rows + ", channels " + channels + ", vocab " + vocab);
        }
    }

    /** Rows of logits the kernel computes at once for this head's width and vocabulary. */
    int blockRows(int channels, int vocab);

    /**
     * Writes the mean loss over counted rows to {@code loss[0]} (0 when none counts) and, where {@code dx} or
     * {@code dW} is not null, the loss's gradient with respect to x or W (overwritten, not accumulated).
     */
    void lossAndGradients(Storage x, Storage w, Storage targets, Storage loss, Storage dx, Storage dW, Head head);
}
