package dev.nanolab.tokenizers.bpe;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The pre-tokenizer: cuts text into pieces that are merged separately and never across. */
interface PieceSplitter {
    /** Receives one piece, {@code text[start, end)}. */
    @FunctionalInterface
    interface Sink {
        void piece(int start, int end);
    }

    /** Gives the pieces of the text in order; together they are the whole text. */
    void split(String text, Sink sink);

    /** The splitter for a model's pattern; null means no splitting. */
    static PieceSplitter of(String pattern) {
        if (pattern == null) return (text, sink) -> {
            if (!text.isEmpty()) sink.piece(0, text.length());
        };
        if (pattern.equals(Gpt2Splitter.PATTERN)) return new Gpt2Splitter();
        return new RegexSplitter(pattern);
    }

    /**
     * Splits at a regex's matches, like HuggingFace's {@code Split} with behaviour {@code Isolated}: each match is a
     * piece, and so is any text between matches, so nothing is lost even if the pattern does not cover the text.
     */
    final class RegexSplitter implements PieceSplitter {
        private final Pattern pattern;

        RegexSplitter(String pattern) {
            this.pattern = Pattern.compile(pattern, Pattern.UNICODE_CHARACTER_CLASS);
        }

        @Override
        public void split(String text, Sink sink) {
            Matcher m = pattern.matcher(text);
            int last = 0;
            while (m.find()) {
                int start = m.start(), end = m.end();
                if (start == end) continue;
                if (start > last) sink.piece(last, start);
                sink.piece(start, end);
                last = end;
            }
            if (last < text.length()) sink.piece(last, text.length());
        }
    }
}
