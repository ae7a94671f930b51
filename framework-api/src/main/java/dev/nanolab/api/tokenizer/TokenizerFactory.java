package dev.nanolab.api.tokenizer;

import dev.nanolab.api.data.TextCorpus;

/**
 * The tokenizer component: made from its config, it builds a {@link Tokenizer} from training text (a char
 * vocabulary, BPE merges) or restores one from a saved state.
 */
public interface TokenizerFactory {
    /** Whether {@link #train} learns from the text; fixed encodings (byte, tiktoken) ignore it. */
    boolean trainable();

    /** Builds a tokenizer from the corpus; the same corpus and config give an identical tokenizer. */
    Tokenizer train(TextCorpus corpus);

    /**
     * Rebuilds a tokenizer from {@link Tokenizer#state()}.
     *
     * @throws IllegalArgumentException with a one-line message if the state is not of this tokenizer's format
     */
    Tokenizer load(byte[] state);
}
