package dev.nanolab.tokenizers.huggingface.pretokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits a piece on the matches of a pattern, which are then treated as {@link SplitBehavior} says; with
 * {@code invert} the matches are the text kept and the rest are the delimiters. The pattern is a regex (each match
 * is a delimiter) or a class of characters (each such character is a delimiter of its own). This is HuggingFace's
 * {@code Split} and the pre-tokenizers built on it: {@code WhitespaceSplit}, {@code Whitespace},
 * {@code Punctuation}, {@code Digits} and the two steps of {@code BertPreTokenizer}.
 */
final class PatternSplit implements PreTokenizer {
    private final Pattern regex;
    private final IntPredicate characters;
    private final boolean invert;
    private final SplitBehavior behavior;

    private PatternSplit(Pattern regex, IntPredicate characters, boolean invert, SplitBehavior behavior) {
        this.regex = regex;
        this.characters = characters;
        this.invert = invert;
        this.behavior = behavior;
    }

    static PatternSplit regex(Pattern regex, boolean invert, SplitBehavior behavior) {
        return new PatternSplit(regex, null, invert, behavior);
    }

    static PatternSplit characters(IntPredicate characters, SplitBehavior behavior) {
        return new PatternSplit(null, characters, false, behavior);
    }

    @Override
    public void split(String piece, boolean atStart, Sink out) {
        for (int[] range : behavior.apply(spans(piece)))
            if (range[1] > range[0]) out.accept(piece.substring(range[0], range[1]), atStart && range[0] == 0);
    }

    private List<SplitBehavior.Span> spans(String text) {
        List<SplitBehavior.Span> spans = new ArrayList<>();
        int previous = 0;
        if (regex != null) {
            Matcher m = regex.matcher(text);
            while (m.find()) {
                if (m.start() > previous) spans.add(new SplitBehavior.Span(previous, m.start(), invert));
                spans.add(new SplitBehavior.Span(m.start(), m.end(), !invert));
                previous = m.end();
            }
        } else {
            for (int i = 0; i < text.length(); ) {
                int c = text.codePointAt(i), next = i + Character.charCount(c);
                if (characters.test(c)) {
                    if (i > previous) spans.add(new SplitBehavior.Span(previous, i, false));
                    spans.add(new SplitBehavior.Span(i, next, true));
                    previous = next;
                }
                i = next;
            }
        }
        if (previous < text.length()) spans.add(new SplitBehavior.Span(previous, text.length(), invert && regex != null));
        return spans;
    }
}
