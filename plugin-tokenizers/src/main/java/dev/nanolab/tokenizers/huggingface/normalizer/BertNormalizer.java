package dev.nanolab.tokenizers.huggingface.normalizer;

import dev.nanolab.tokenizers.huggingface.pipeline.Chars;

/**
 * {@code BertNormalizer}, in HuggingFace's order: {@code clean_text} drops U+0000, U+FFFD and control characters and
 * turns whitespace into a space; {@code handle_chinese_chars} puts spaces around CJK ideographs;
 * {@code strip_accents} (null: as {@code lowercase}) decomposes (NFD) and drops non-spacing marks (Mn);
 * {@code lowercase} lowercases.
 */
record BertNormalizer(boolean cleanText, boolean handleChineseChars, boolean stripAccents, boolean lowercase)
        implements Normalizer {
    @Override
    public String normalize(String text) {
        if (cleanText || handleChineseChars) {
            StringBuilder out = new StringBuilder(text.length());
            text.codePoints().forEach(c -> {
                if (cleanText && (c == 0 || c == 0xFFFD || Chars.isControl(c))) return;
                if (cleanText && Chars.isWhitespace(c)) out.append(' ');
                else if (handleChineseChars && Chars.isChinese(c)) out.append(' ').appendCodePoint(c).append(' ');
                else out.appendCodePoint(c);
            });
            text = out.toString();
        }
        if (stripAccents) {
            StringBuilder out = new StringBuilder(text.length());
            java.text.Normalizer.normalize(text, java.text.Normalizer.Form.NFD).codePoints()
                    .filter(c -> Character.getType(c) != Character.NON_SPACING_MARK).forEach(out::appendCodePoint);
            text = out.toString();
        }
        return lowercase ? Chars.lowercase(text) : text;
    }
}
