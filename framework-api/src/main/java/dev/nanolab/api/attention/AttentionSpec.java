package dev.nanolab.api.attention;

import dev.nanolab.api.backend.Backend;
import dev.nanolab.api.tensor.Rng;

/**
 * What one layer of attention is built for.
 *
 * @param backend    where its parameters live
 * @param nEmbd      C, the model width
 * @param nHead      H; the head size is C / H
 * @param blockSize  the longest context
 * @param dropout    attention-weight dropout in training
 * @param bias       whether linear layers have biases
 * @param initRng    draws initial parameter values
 * @param dropoutRng draws dropout mask seeds
 * @param scale      multiplies q·k: 1/√(head size) unless the model sets another (modded-nanogpt uses 0.12 with
 *                   QK-norm); NaN means the default
 */
public record AttentionSpec(Backend backend, int nEmbd, int nHead, int blockSize, float dropout, boolean bias,
                            Rng initRng, Rng dropoutRng, float scale) {
    public AttentionSpec {
        if (nHead < 1 || nEmbd % nHead != 0)
            throw new IllegalArgumentException("n_embd " + nEmbd + " is not divisible by n_head " + nHead);
        if (Float.isNaN(scale)) scale = (float) (1.0 / Math.sqrt(nEmbd / nHead));
        if (!(scale > 0) || Float.isInfinite(scale)) throw new IllegalArgumentException("attention scale " + scale + " must be positive");
    }

    /** With the default scale 1/√(head size). */
    public AttentionSpec(Backend backend, int nEmbd, int nHead, int blockSize, float dropout, boolean bias, Rng initRng,
                         Rng dropoutRng) {
        this(backend, nEmbd, nHead, blockSize, dropout, bias, initRng, dropoutRng, Float.NaN);
    }

    public int headDim() {
        return nEmbd / nHead;
    }

    /** This spec with another scale of q·k. */
    public AttentionSpec withScale(float scale) {
        return new AttentionSpec(backend, nEmbd, nHead, blockSize, dropout, bias, initRng, dropoutRng, scale);
    }
}
