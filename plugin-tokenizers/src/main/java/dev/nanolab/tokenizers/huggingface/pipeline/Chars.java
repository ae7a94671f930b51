package dev.nanolab.tokenizers.huggingface.pipeline;

/**
 * The character classes HuggingFace's Rust code uses, by code point: Rust's {@code char::is_whitespace} (the Unicode
 * White_Space property, which {@link Character#isWhitespace} is not), BERT's punctuation, control and CJK classes,
 * and Rust's per-character lowercase.
 */
public final class Chars {
    private Chars() {}

    /** Rust's {@code char::is_whitespace}: the Unicode White_Space property. */
    public static boolean isWhitespace(int c) {
        return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 || c == 0x1680
                || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
    }

    /** BERT's control characters: general category C* except tab, newline and carriage return. */
    public static boolean isControl(int c) {
        if (c == '\t' || c == '\n' || c == '\r') return false;
        int type = Character.getType(c);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.UNASSIGNED
                || type == Character.PRIVATE_USE || type == Character.SURROGATE;
    }

    /** BERT's punctuation: ASCII punctuation (which includes symbols such as {@code $ + < = > ^ | ~}) or category P*. */
    public static boolean isPunctuation(int c) {
        if (c < 0x80) return (c >= 0x21 && c <= 0x2F) || (c >= 0x3A && c <= 0x40) || (c >= 0x5B && c <= 0x60) || (c >= 0x7B && c <= 0x7E);
        return switch (Character.getType(c)) {
            case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                 Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                 Character.OTHER_PUNCTUATION -> true;
            default -> false;
        };
    }

    /** Rust's {@code char::is_numeric}: categories Nd, Nl, No. */
    public static boolean isNumeric(int c) {
        int type = Character.getType(c);
        return type == Character.DECIMAL_DIGIT_NUMBER || type == Character.LETTER_NUMBER || type == Character.OTHER_NUMBER;
    }

    /** BERT's "Chinese character": the CJK Unified Ideographs blocks and their extensions and compatibility blocks. */
    public static boolean isChinese(int c) {
        return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x20000 && c <= 0x2A6DF)
                || (c >= 0x2A700 && c <= 0x2B73F) || (c >= 0x2B740 && c <= 0x2B81F) || (c >= 0x2B920 && c <= 0x2CEAF)
                || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x2F800 && c <= 0x2FA1F);
    }

    /**
     * Lowercase one code point at a time, as Rust's {@code char::to_lowercase}: no context (a final sigma stays σ,
     * unlike {@link String#toLowerCase}); U+0130 İ becomes i + U+0307, its one unconditional multi-character mapping.
     */
    public static String lowercase(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            if (c == 0x130) out.append("i\u0307");
            else out.appendCodePoint(Character.toLowerCase(c));
        });
        return out.toString();
    }
}
