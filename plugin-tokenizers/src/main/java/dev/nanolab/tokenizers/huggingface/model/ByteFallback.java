package dev.nanolab.tokenizers.huggingface.model;

import dev.nanolab.tokenizers.codec.TokenBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.ToIntFunction;

/**
 * SentencePiece's byte fallback: text the vocabulary cannot spell is written as the tokens {@code <0x00>} ...
 * {@code <0xFF>} of its UTF-8 bytes, if the vocabulary has all the ones needed.
 */
final class ByteFallback {
    private final int[] ids = new int[256];

    /** @param lookup token to id, -1 if absent */
    ByteFallback(ToIntFunction<String> lookup) {
        for (int b = 0; b < 256; b++) ids[b] = lookup.applyAsInt(token(b));
    }

    /** The spelling of a byte token: {@code <0x0A>}, hex digits in capitals. */
    static String token(int b) {
        return String.format("<0x%02X>", b);
    }

    /** Appends the byte tokens of the text and returns true, or appends nothing and returns false if one is missing. */
    boolean append(String text, TokenBuffer out) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int[] found = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            found[i] = ids[bytes[i] & 0xFF];
            if (found[i] < 0) return false;
        }
        out.addAll(found);
        return true;
    }
}
