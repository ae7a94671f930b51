package dev.nanolab.tokenizers.huggingface.decoder;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ByteFallback}: each run of byte tokens ({@code <0x41>}) becomes the text of its bytes when they are valid
 * UTF-8, and otherwise one U+FFFD per byte, as HuggingFace does; other tokens pass through.
 */
public record ByteFallbackDecoder() implements Decoder {
    @Override
    public List<String> decodeChain(List<String> tokens) {
        List<String> out = new ArrayList<>(tokens.size());
        byte[] run = new byte[tokens.size()];
        int n = 0;
        for (String token : tokens) {
            int b = byteOf(token);
            if (b >= 0) {
                run[n++] = (byte) b;
                continue;
            }
            flush(run, n, out);
            n = 0;
            out.add(token);
        }
        flush(run, n, out);
        return out;
    }

    /** The byte of a token {@code <0xHH>}, or -1. */
    public static int byteOf(String token) {
        if (token.length() != 6 || !token.startsWith("<0x") || token.charAt(5) != '>') return -1;
        int hi = hex(token.charAt(3)), lo = hex(token.charAt(4));
        return hi < 0 || lo < 0 ? -1 : hi << 4 | lo;
    }

    /** An ASCII hex digit's value, or -1 ({@link Character#digit} would also take other scripts' digits). */
    private static int hex(char c) {
        return c < 0x80 ? Character.digit(c, 16) : -1;
    }

    private static void flush(byte[] run, int n, List<String> out) {
        if (n == 0) return;
        try {
            out.add(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(run, 0, n)).toString());
        } catch (CharacterCodingException e) {
            for (int i = 0; i < n; i++) out.add("\uFFFD");
        }
    }
}
