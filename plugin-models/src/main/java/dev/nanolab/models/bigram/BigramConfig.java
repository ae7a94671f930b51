package dev.nanolab.models.bigram;

import dev.nanolab.api.config.Doc;
import dev.nanolab.api.config.Range;

/**
 * The {@code bigram} baseline: next-token logits are a row of a (V, V) table, looked up by the current token.
 *
 * @param blockSize the training window only; the model sees one token
 */
public record BigramConfig(
        @Doc("tokens per training sequence (the model itself looks at one token)") @Range(min = 1) int blockSize) {

    public BigramConfig() {
        this(64);
    }
}
