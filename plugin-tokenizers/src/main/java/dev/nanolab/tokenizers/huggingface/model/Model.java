package dev.nanolab.tokenizers.huggingface.model;

import dev.nanolab.tokenizers.codec.TokenBuffer;

/** A HuggingFace model: turns one pre-tokenized piece into token ids, and an id back into its token string. */
public interface Model {
    /** Appends the ids of a piece (not empty) to {@code out}. Never throws for valid UTF-16 text. */
    void tokenize(String piece, TokenBuffer out);

    /** The token string of an id, or null if the model has no such id. */
    String token(int id);

    /** One more than the largest id. */
    int size();
}
