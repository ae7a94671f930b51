package dev.nanolab.api.model;

import dev.nanolab.api.backend.Backend;
import dev.nanolab.api.plugin.ComponentRegistry;
import dev.nanolab.api.tensor.Rng;
import dev.nanolab.api.tokenizer.Tokenizer;

/**
 * What an architecture builds a model with.
 *
 * @param backend    where parameters live
 * @param vocabSize  the tokenizer's vocabulary size (a config may ask for a larger, padded one)
 * @param registry   to create the components a config names (the attention variant)
 * @param initRng    draws the initial weights
 * @param dropoutRng draws dropout seeds during training; checkpoints save its state
 * @param tokenizer  the run's tokenizer (an embedding may read what each token spells); null where none is known
 */
public record ModelContext(Backend backend, int vocabSize, ComponentRegistry registry, Rng initRng, Rng dropoutRng,
                           Tokenizer tokenizer) {
    /** Without a tokenizer. */
    public ModelContext(Backend backend, int vocabSize, ComponentRegistry registry, Rng initRng, Rng dropoutRng) {
        this(backend, vocabSize, registry, initRng, dropoutRng, null);
    }
}
