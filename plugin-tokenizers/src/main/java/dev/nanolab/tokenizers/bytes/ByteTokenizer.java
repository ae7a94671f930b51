package dev.nanolab.tokenizers.bytes;

import dev.nanolab.api.tokenizer.Tokenizer;
import dev.nanolab.tokenizers.codec.StateWriter;
import dev.nanolab.tokenizers.codec.TokenIds;
import dev.nanolab.tokenizers.codec.Utf8;

/**
 * The {@code byte} tokenizer: 256 tokens, token id = the value of one UTF-8 byte (0..255). Every string round-trips,
 * except that a lone surrogate (invalid UTF-16) is encoded as U+FFFD, see {@link Utf8}.
 *
 * <p>State: {@code {"format": "nanolab-byte", "version": 1}}; there is nothing to learn.
 */
public final class ByteTokenizer implements Tokenizer {
    public static final String NAME = "byte";
    static final String FORMAT = "nanolab-byte";
    static final int VERSION = 1;

    private static final byte[] STATE = StateWriter.write(StateWriter.start(FORMAT, VERSION));

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int vocabSize() {
        return 256;
    }

    @Override
    public int[] encode(String text) {
        byte[] bytes = Utf8.encode(text);
        int[] ids = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) ids[i] = bytes[i] & 0xFF;
        return ids;
    }

    @Override
    public String decode(int[] tokens, int from, int to) {
        TokenIds.requireInRange(NAME, tokens, from, to, 256);
        byte[] bytes = new byte[to - from];
        for (int i = from; i < to; i++) bytes[i - from] = (byte) tokens[i];
        return Utf8.decode(bytes, 0, bytes.length);
    }

    @Override
    public byte[] tokenBytes(int id) {
        TokenIds.requireInRange(NAME, new int[] {id}, 0, 1, 256);
        return new byte[] {(byte) id};
    }

    @Override
    public byte[] state() {
        return STATE.clone();
    }
}
