package dev.nanolab.models.lstm;

import dev.nanolab.api.config.Doc;
import dev.nanolab.api.config.Range;

/**
 * The {@code lstm} architecture: embedding, layer norm, stacked LSTM layers, a residual connection around them, an
 * MLP head. The defaults are the {@code lstm-demo} size (about 0.8M parameters with 65 characters, like nanoGPT's
 * CPU-demo GPT).
 *
 * @param blockSize the training window, not a limit on context: the trainer samples sequences of this many tokens
 *                  and back-propagates through all of them from a zero state; sampling carries the state, so the
 *                  context a sample is conditioned on is unbounded
 */
public record LstmConfig(
        @Doc("stacked LSTM layers") @Range(min = 1, max = 100) int nLayer,
        @Doc("width of the embedding, the LSTM state and the residual stream") @Range(min = 1) int nEmbd,
        @Doc("tokens per training sequence (back-propagation through time); sampling carries the state, unbounded") @Range(min = 1) int blockSize,
        @Doc("dropout on each LSTM layer's output (between layers and on the residual branch)") @Range(min = 0, max = 1, maxOpen = true) float dropout) {

    /** The lstm-demo size: 2 layers of 192, trained on 64-token sequences, no dropout. */
    public LstmConfig() {
        this(2, 192, 64, 0f);
    }
}
