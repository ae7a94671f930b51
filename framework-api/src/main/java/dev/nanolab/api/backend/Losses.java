package dev.nanolab.api.backend;

/**
 * Fused log-softmax + cross-entropy over a (rows, vocab) logits array and int32 targets (rows). Rows whose target
 * equals {@code ignoreIndex} contribute nothing and are not counted. The mean over counted rows is written to
 * {@code loss[0]}; with no counted row it is 0. The per-row log-sum-exp is saved so the backward can recompute
 * the softmax without a (rows, vocab) buffer.
 */
public interface Losses {
    void crossEntropy(Storage logits, Storage targets, Storage lse, Storage loss, int rows, int vocab,
                      int ignoreIndex);

    /**
     * {@code dlogits (+)= dLoss[0] / count · (softmax(logits) − onehot(target))} for counted rows, 0 for ignored
     * rows. Out-of-range targets are an error naming the row and the value.
     */
    void crossEntropyBackward(Storage logits, Storage targets, Storage lse, Storage dLoss, Storage dLogits,
                              int rows, int vocab, int ignoreIndex, boolean accumulate);
}
