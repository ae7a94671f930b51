package dev.nanolab.tokenizers.codec;

import java.util.Objects;
import java.util.function.IntPredicate;

/** Checks on the ids a caller asks a tokenizer to decode. */
public final class TokenIds {
    private TokenIds() {}

    /**
     * Checks that {@code tokens[from, to)} is a valid range and that each id in it is one the vocabulary has.
     *
     * @throws IllegalArgumentException naming the first bad id and its position
     */
    public static void requireKnown(String tokenizer, int[] tokens, int from, int to, int vocabSize, IntPredicate known) {
        Objects.checkFromToIndex(from, to, tokens.length);
        for (int i = from; i < to; i++) {
            int id = tokens[i];
            if (id < 0 || id >= vocabSize || !known.test(id))
                throw new IllegalArgumentException(tokenizer + ": token id " + id + " at position " + i
                        + (id < 0 || id >= vocabSize ? " is outside the vocabulary [0, " + vocabSize + ")"
                                                     : " is not assigned in the vocabulary"));
        }
    }

    /** {@link #requireKnown} for a vocabulary where every id in {@code [0, vocabSize)} is assigned. */
    public static void requireInRange(String tokenizer, int[] tokens, int from, int to, int vocabSize) {
        requireKnown(tokenizer, tokens, from, to, vocabSize, id -> true);
    }
}
