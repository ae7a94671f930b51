package dev.nanolab.tokenizers.huggingface.normalizer;

import dev.nanolab.tokenizers.huggingface.pipeline.Chars;

/** {@code Strip}: removes Unicode whitespace at the start ({@code strip_left}) and/or the end ({@code strip_right}). */
record StripWhitespace(boolean left, boolean right) implements Normalizer {
    @Override
    public String normalize(String text) {
        int start = 0, end = text.length();
        while (left && start < end && Chars.isWhitespace(text.codePointAt(start))) start += Character.charCount(text.codePointAt(start));
        while (right && end > start && Chars.isWhitespace(text.codePointBefore(end))) end -= Character.charCount(text.codePointBefore(end));
        return text.substring(start, end);
    }
}
