package dev.nanolab.tokenizers.bpe;

/**
 * GPT-2's pre-tokenizer, {@link #PATTERN}, written out by hand: it gives exactly the pieces that
 * {@code Pattern.compile(PATTERN, UNICODE_CHARACTER_CLASS)} finds (a property test checks this), several times
 * faster, because splitting is most of the cost of encoding once pieces are cached.
 *
 * <p>The pattern's alternatives, tried in order at each position: an English contraction ({@code 's} ...), else an
 * optional space and a run of letters, or of numbers, or of other characters (neither letter, number nor
 * whitespace), else a whitespace run that leaves its last character for the next piece when something other than
 * whitespace follows, else a single whitespace character. "Whitespace" is Java's {@code \s} under
 * {@code UNICODE_CHARACTER_CLASS}: categories Zs, Zl, Zp, U+0009..U+000D and U+0085.
 */
final class Gpt2Splitter implements PieceSplitter {
    static final String PATTERN = BpeConfig.PreTokenizer.GPT2.pattern();

    private static final byte LETTER = 0, NUMBER = 1, SPACE = 2, OTHER = 3;
    /** The class of every UTF-16 value; surrogates are OTHER here and resolved as pairs in {@link #classAt}. */
    private static final byte[] BMP_CLASS = new byte[0x10000];

    static {
        for (int c = 0; c < 0x10000; c++) BMP_CLASS[c] = classOf(c);
    }

    private static byte classOf(int cp) {
        return switch (Character.getType(cp)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                 Character.MODIFIER_LETTER, Character.OTHER_LETTER -> LETTER;
            case Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER -> NUMBER;
            case Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> SPACE;
            default -> (cp >= 0x9 && cp <= 0xD) || cp == 0x85 ? SPACE : OTHER;
        };
    }

    @Override
    public void split(String text, Sink sink) {
        int n = text.length();
        for (int i = 0; i < n; ) {
            int end = pieceEnd(text, i, n);
            sink.piece(i, end);
            i = end;
        }
    }

    private static int pieceEnd(String text, int i, int n) {
        char c = text.charAt(i);
        if (c == '\'' && i + 1 < n) {
            char d = text.charAt(i + 1);
            if (d == 's' || d == 'd' || d == 'm' || d == 't') return i + 2;
            if (i + 2 < n) {
                char e = text.charAt(i + 2);
                if ((d == 'l' && e == 'l') || (d == 'v' && e == 'e') || (d == 'r' && e == 'e')) return i + 3;
            }
        }
        if (c == ' ' && i + 1 < n) {
            byte next = classAt(text, i + 1, n);
            if (next != SPACE) return runEnd(text, i + 1, n, next);
        }
        byte cls = classAt(text, i, n);
        if (cls != SPACE) return runEnd(text, i, n, cls);
        int end = runEnd(text, i, n, SPACE);
        // \s+(?!\S): before a non-space the run gives up its last character (all whitespace is in the BMP).
        return end == n || end - i == 1 ? end : end - 1;
    }

    private static int runEnd(String text, int i, int n, byte cls) {
        while (i < n && classAt(text, i, n) == cls) i += charCount(text, i, n);
        return i;
    }

    private static byte classAt(String text, int i, int n) {
        char c = text.charAt(i);
        if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1)))
            return classOf(Character.toCodePoint(c, text.charAt(i + 1)));
        return BMP_CLASS[c];
    }

    private static int charCount(String text, int i, int n) {
        return Character.isHighSurrogate(text.charAt(i)) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1)) ? 2 : 1;
    }
}
