package dev.nanolab.tokenizers.codec;

import java.nio.charset.StandardCharsets;

/**
 * UTF-8 as the byte-level tokenizers use it.
 *
 * <p>Java strings may hold lone surrogates (invalid UTF-16). {@link String#getBytes} would turn each into {@code ?},
 * which silently changes the text into a different, valid one; tiktoken and HuggingFace instead encode U+FFFD, the
 * replacement character. The tokenizers here do the same, so a lone surrogate encodes exactly as {@code "\uFFFD"}
 * and decodes to it. Decoding turns malformed byte sequences (e.g. a token range that cuts a character in two)
 * into U+FFFD as well.
 */
public final class Utf8 {
    /** The replacement character that stands for a lone surrogate. */
    public static final char REPLACEMENT = '\uFFFD';

    private Utf8() {}

    /** The text with every lone surrogate replaced by U+FFFD; the same instance when there is none. */
    public static String withoutLoneSurrogates(String text) {
        int first = firstLoneSurrogate(text);
        if (first < 0) return text;
        char[] chars = text.toCharArray();
        for (int i = first; i < chars.length; i++) {
            char c = chars[i];
            if (Character.isHighSurrogate(c) && i + 1 < chars.length && Character.isLowSurrogate(chars[i + 1])) {
                i++;
            } else if (Character.isSurrogate(c)) {
                chars[i] = REPLACEMENT;
            }
        }
        return new String(chars);
    }

    /** Index of the first lone surrogate, or -1. */
    public static int firstLoneSurrogate(String text) {
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            if (!Character.isSurrogate(c)) continue;
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else {
                return i;
            }
        }
        return -1;
    }

    /** UTF-8 bytes of the text, lone surrogates encoded as U+FFFD ({@code EF BF BD}). */
    public static byte[] encode(String text) {
        return withoutLoneSurrogates(text).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Writes the UTF-8 bytes of {@code text[from, to)} to {@code out}, a lone surrogate (also one cut off by
     * {@code from} or {@code to}) as U+FFFD, and returns how many it wrote; {@code out} needs room for
     * {@code 3 * (to - from)}.
     */
    public static int encode(CharSequence text, int from, int to, byte[] out) {
        int n = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                out[n++] = (byte) c;
            } else if (c < 0x800) {
                out[n++] = (byte) (0xC0 | c >> 6);
                out[n++] = (byte) (0x80 | c & 0x3F);
            } else if (!Character.isSurrogate(c)) {
                n = three(c, out, n);
            } else if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(text.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, text.charAt(++i));
                out[n++] = (byte) (0xF0 | cp >> 18);
                out[n++] = (byte) (0x80 | cp >> 12 & 0x3F);
                out[n++] = (byte) (0x80 | cp >> 6 & 0x3F);
                out[n++] = (byte) (0x80 | cp & 0x3F);
            } else {
                n = three(REPLACEMENT, out, n);
            }
        }
        return n;
    }

    private static int three(char c, byte[] out, int n) {
        out[n] = (byte) (0xE0 | c >> 12);
        out[n + 1] = (byte) (0x80 | c >> 6 & 0x3F);
        out[n + 2] = (byte) (0x80 | c & 0x3F);
        return n + 3;
    }

    /** The text of UTF-8 bytes; malformed sequences become U+FFFD. */
    public static String decode(byte[] bytes, int from, int to) {
        return new String(bytes, from, to - from, StandardCharsets.UTF_8);
    }
}
