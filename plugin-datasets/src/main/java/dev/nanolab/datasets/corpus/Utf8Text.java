package dev.nanolab.datasets.corpus;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * What counts as text: bytes that are valid UTF-8 and hold no NUL byte. A NUL almost never occurs in text and
 * almost always in binary files (images, class files, UTF-16 text), so it is the cheap test that catches what the
 * UTF-8 check would let through. A leading byte-order mark is dropped.
 */
public final class Utf8Text {
    private Utf8Text() {}

    /** The text of these bytes, or null when they are not UTF-8 text (a NUL byte, or malformed UTF-8). */
    public static String decode(byte[] bytes) {
        for (byte b : bytes)
            if (b == 0) return null;
        CharsetDecoder decoder = strictDecoder();
        CharBuffer chars;
        try {
            chars = decoder.decode(ByteBuffer.wrap(bytes));
        } catch (CharacterCodingException e) {
            return null;
        }
        int start = chars.length() > 0 && chars.charAt(0) == '\uFEFF' ? 1 : 0;
        return chars.subSequence(start, chars.length()).toString();
    }

    /** Why {@link #decode} refused these bytes, for messages: where the first NUL or malformed byte is. */
    public static String whyNot(byte[] bytes) {
        for (int i = 0; i < bytes.length; i++)
            if (bytes[i] == 0) return "a NUL byte at offset " + i;
        CharsetDecoder decoder = strictDecoder();
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length + 1);
        var result = decoder.decode(in, out, true);
        if (result.isError())
            return String.format("byte 0x%02x at offset %d is not valid UTF-8", bytes[in.position()] & 0xff, in.position());
        return "it is valid UTF-8 text";
    }

    /** The length of the text in UTF-8 bytes (a lone surrogate counts 3, as a replacement would). */
    public static long utf8Length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); ) {
            int bytes = utf8Bytes(s, i);
            n += bytes;
            i += bytes == 4 ? 2 : 1;
        }
        return n;
    }

    /** The longest prefix of the text whose UTF-8 length is at most maxBytes, never splitting a character. */
    public static String prefixWithin(String s, long maxBytes) {
        long n = 0;
        int i = 0;
        while (i < s.length()) {
            int bytes = utf8Bytes(s, i);
            if (n + bytes > maxBytes) break;
            n += bytes;
            i += bytes == 4 ? 2 : 1;
        }
        return s.substring(0, i);
    }

    /** A UTF-8 decoder that reports malformed input rather than replacing it. */
    private static CharsetDecoder strictDecoder() {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    /** The UTF-8 length of the character at {@code s[i]}: 4 for a surrogate pair (two chars), 3 for a lone one. */
    private static int utf8Bytes(String s, int i) {
        char c = s.charAt(i);
        if (c < 0x80) return 1;
        if (c < 0x800) return 2;
        if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) return 4;
        return 3;
    }
}
