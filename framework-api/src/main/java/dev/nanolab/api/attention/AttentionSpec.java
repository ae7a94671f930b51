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
 */
public record AttentionSpec(Backend backend, int nEmbd, int nHead, int blockSize, float dropout, boolean bias,
                            Rng initRng, Rng dropoutRng) {
    public AttentionSpec {
        if (nHead < 1 || nEmbd % nHead != 0)
            throw new IllegalArgumentException("n_embd " + nEmbd + " is not divisible by n_head " + nHead);
    }

    public int headDim() {
        return nEmbd / nHead;
    }
}
