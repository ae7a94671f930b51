package dev.nanolab.models.embedding;

import dev.nanolab.api.tokenizer.Tokenizer;

/**
 * Per-token byte ids, (vocab, K) row-major: row {@code id} holds {@code 1 + b} for each byte b of
 * {@link Tokenizer#tokenBytes(int) tokenizer.tokenBytes(id)}, cut to K, then 0 (padding) to K. A function of the
 * tokenizer alone: token files are unchanged. Ids past the tokenizer's vocabulary (a padded model vocabulary) are all
 * padding.
 */
public record TokenBytes(int[] ids, int perToken) {
    /** 256 byte values + padding. */
    public static final int ALPHABET = 257;

    public static TokenBytes of(Tokenizer tokenizer, int vocab, int perToken) {
        int[] ids = new int[vocab * perToken];
        for (int id = 0; id < Math.min(vocab, tokenizer.vocabSize()); id++) {
            byte[] bytes = tokenizer.tokenBytes(id);
            for (int j = 0; j < Math.min(bytes.length, perToken); j++) ids[id * perToken + j] = 1 + (bytes[j] & 0xFF);
        }
        return new TokenBytes(ids, perToken);
    }

    /** The byte ids of tokens (B·T), row after row: (B·T·K). */
    int[] spell(int[] tokens) {
        int[] out = new int[tokens.length * perToken];
        for (int i = 0; i < tokens.length; i++) System.arraycopy(ids, tokens[i] * perToken, out, i * perToken, perToken);
        return out;
    }
}
