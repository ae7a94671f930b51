package dev.nanolab.tokenizers.huggingface.pretokenizer;

/** A HuggingFace pre-tokenizer: splits normalized text into the pieces the model tokenizes one at a time. */
@FunctionalInterface
public interface PreTokenizer {
    /** Receives the pieces; none is empty. */
    @FunctionalInterface
    interface Sink {
        void accept(String piece, boolean atStart);
    }

    /**
     * Splits a piece.
     *
     * @param atStart whether the piece starts at the very start of the encoded text (HuggingFace's "offset 0 of the
     *                original", which Metaspace's {@code prepend_scheme: first} asks); passed on to the first sub-piece
     *                only when that starts where this piece starts
     */
    void split(String piece, boolean atStart, Sink out);

    /** No split: the whole text is one piece (a tokenizer.json without pre_tokenizer). */
    PreTokenizer NONE = (piece, atStart, out) -> {
        if (!piece.isEmpty()) out.accept(piece, atStart);
    };
}
