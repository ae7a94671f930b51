package dev.nanolab.tokenizers.bpe;

/**
 * GPT-2's reversible map from bytes to printable characters ({@code bytes_to_unicode} in GPT-2's
 * {@code encoder.py}), which HuggingFace's ByteLevel pre-tokenizer and its {@code tokenizer.json} files use to write
 * byte tokens as text: printable Latin-1 bytes stand for themselves, the other 68 bytes (controls, space, 0x7F-0xA0,
 * 0xAD) map to U+0100.. in byte order, so a space is {@code Ġ} and a newline {@code Ċ}.
 */
public final class ByteLevelAlphabet {
    private static final char[] BYTE_TO_CHAR = new char[256];
    private static final int[] CHAR_TO_BYTE = new int[0x144];

    static {
        java.util.Arrays.fill(CHAR_TO_BYTE, -1);
        int extra = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            char c = printable ? (char) b : (char) (256 + extra++);
            BYTE_TO_CHAR[b] = c;
            CHAR_TO_BYTE[c] = b;
        }
    }

    private ByteLevelAlphabet() {}

    /** The text that stands for these bytes, one character per byte. */
    public static String toText(byte[] bytes) {
        char[] chars = new char[bytes.length];
        for (int i = 0; i < bytes.length; i++) chars[i] = BYTE_TO_CHAR[bytes[i] & 0xFF];
        return new String(chars);
    }

    /** The bytes that the text stands for, or null if it has a character outside the alphabet. */
    public static byte[] toBytes(String text) {
        byte[] bytes = new byte[text.length()];
        for (int i = 0; i < bytes.length; i++) {
            char c = text.charAt(i);
            int b = c < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[c] : -1;
            if (b < 0) return null;
            bytes[i] = (byte) b;
        }
        return bytes;
    }
}
