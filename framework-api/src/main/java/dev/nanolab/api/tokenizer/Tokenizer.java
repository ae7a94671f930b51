package dev.nanolab.api.tokenizer;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Turns text into token ids and back. Instances are immutable and safe to share between threads.
 *
 * <p>A tokenizer's {@link #state()} is everything needed to rebuild it exactly; prepared token files and
 * checkpoints record its {@link #fingerprint()}, so data tokenised one way is never read as another.
 */
public interface Tokenizer {
    /** The component name that made this tokenizer, e.g. {@code char}, {@code bpe}, {@code tiktoken:gpt2}. */
    String name();

    /** Number of token ids: every id is in {@code [0, vocabSize())}. */
    int vocabSize();

    /** Encodes text; special-token strings in it are encoded as ordinary text. */
    int[] encode(String text);

    /**
     * Encodes text, turning the special tokens named in {@code allowedSpecial} into their ids (e.g.
     * {@code <|endoftext|>}); other special-token strings are ordinary text.
     */
    default int[] encode(String text, Set<String> allowedSpecial) {
        if (!allowedSpecial.isEmpty())
            throw new UnsupportedOperationException(name() + " has no special tokens: " + allowedSpecial);
        return encode(text);
    }

    /** Decodes {@code tokens[from, to)}. Ids outside the vocabulary are an error naming the id and its position. */
    String decode(int[] tokens, int from, int to);

    default String decode(int[] tokens) {
        return decode(tokens, 0, tokens.length);
    }

    /**
     * The bytes that token {@code id} stands for: what it spells, as UTF-8. A byte-level token may hold part of a
     * character (one byte of a multi-byte one, a byte-fallback {@code <0xE2>}); its bytes are then exactly those, so the
     * bytes of a sequence's tokens, joined, are the UTF-8 of its decoding. The default encodes {@link #decode} of the
     * one token, which is right for tokenizers whose tokens are whole characters.
     */
    default byte[] tokenBytes(int id) {
        return decode(new int[] {id}).getBytes(StandardCharsets.UTF_8);
    }

    /** The id of a special token such as {@code <|endoftext|>}, if the vocabulary has one. */
    default OptionalInt specialToken(String text) {
        return OptionalInt.empty();
    }

    /**
     * Everything needed to rebuild this tokenizer exactly, in the tokenizer's documented file format
     * (UTF-8 JSON for the built-ins). {@link TokenizerFactory#load(byte[])} reads it back.
     */
    byte[] state();

    /** SHA-256 over the name and the state, in hex: equal fingerprints mean identical tokenisation. */
    default String fingerprint() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(name().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(state());
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
