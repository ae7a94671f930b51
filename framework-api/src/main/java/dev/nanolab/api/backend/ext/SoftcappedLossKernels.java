package dev.nanolab.api.backend.ext;

import dev.nanolab.api.backend.Losses;
import dev.nanolab.api.backend.LogitSoftcap;
import dev.nanolab.api.backend.Storage;

/**
 * Cross-entropy over softcapped logits, {@code CE(softcap(z), target)}, fused: the softcap is applied on the fly in
 * both passes, so neither the capped (rows, vocab) logits nor their gradient is ever written, and the backward writes
 * {@code dz} directly. For a GPT-2 vocabulary this is the largest tensor of a step read and written four times fewer.
 *
 * <p>Same contracts as {@link Losses#crossEntropy} and {@link Losses#crossEntropyBackward}, with {@code logits} the
 * raw z and {@code lse} the log-sum-exp of the capped logits.
 *
 * <p>Optional ({@link dev.nanolab.api.backend.Backend#extension}): on a backend without it,
 * {@code F.crossEntropy(logits, targets, ignoreIndex, softcap)} composes softcap and cross-entropy.
 */
public interface SoftcappedLossKernels {
    void crossEntropy(Storage logits, Storage targets, Storage lse, Storage loss, int rows, int vocab, int ignoreIndex,
                      LogitSoftcap softcap);

    /** {@code dz (+)= dLoss[0] / count · (softmax(s) − onehot(target)) · ds/dz} for counted rows, 0 for ignored ones. */
    void crossEntropyBackward(Storage logits, Storage targets, Storage lse, Storage dLoss, Storage dLogits, int rows,
                              int vocab, int ignoreIndex, LogitSoftcap softcap, boolean accumulate);
}
