package dev.nanolab.api.model;

import dev.nanolab.api.backend.Backend;
import dev.nanolab.api.plugin.ComponentRegistry;
import dev.nanolab.api.tensor.Rng;

/**
 * What an architecture builds a model with.
 *
 * @param backend    where parameters live
 * @param vocabSize  the tokenizer's vocabulary size (a config may ask for a larger, padded one)
 * @param registry   to create the components a config names (the attention variant)
 * @param initRng    draws the initial weights
 * @param dropoutRng draws dropout seeds during training; checkpoints save its state
 */
public record ModelContext(Backend backend, int vocabSize, ComponentRegistry registry, Rng initRng, Rng dropoutRng) {}
