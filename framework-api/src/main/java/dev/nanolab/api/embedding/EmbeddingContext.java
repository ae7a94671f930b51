package dev.nanolab.api.embedding;

import dev.nanolab.api.backend.Backend;
import dev.nanolab.api.nn.Init;
import dev.nanolab.api.tensor.Rng;
import dev.nanolab.api.tokenizer.Tokenizer;

/**
 * What a model asks of its input embedding.
 *
 * @param backend    where parameters live
 * @param vocabSize  rows of the token table (the model's, possibly padded, vocabulary)
 * @param width      the model width C: the embedding's output is (B, T, C)
 * @param tokenInit  how the model initialises its token table (GPT-2's normal(0, 0.02), modded-nanogpt's, ...)
 * @param initRng    draws any other initial weights
 * @param tokenizer  the run's tokenizer, for embeddings that read what a token spells; null where none is known (a
 *                   variant that needs one refuses with a message naming model.embedding)
 */
public record EmbeddingContext(Backend backend, int vocabSize, int width, Init tokenInit, Rng initRng, Tokenizer tokenizer) {}
