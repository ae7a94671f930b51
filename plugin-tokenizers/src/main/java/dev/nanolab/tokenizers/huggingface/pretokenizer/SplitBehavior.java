package dev.nanolab.tokenizers.huggingface.pretokenizer;

import java.util.ArrayList;
import java.util.List;

/**
 * HuggingFace's {@code SplitDelimiterBehavior}: what becomes of the delimiters (the matches) when a piece is split.
 * The text is first cut into spans covering it, each a match or not; then, as HuggingFace does it:
 * {@code Removed} drops the matches, {@code Isolated} keeps each as its own piece, {@code MergedWithPrevious} joins
 * a match to the span before it, {@code MergedWithNext} to the span after it, {@code Contiguous} joins runs of
 * neighbouring spans that are alike (matches with matches).
 */
public enum SplitBehavior {
    Removed, Isolated, MergedWithPrevious, MergedWithNext, Contiguous;

    /** A stretch {@code [start, end)} of the text, a match of the pattern or the text between matches. */
    record Span(int start, int end, boolean match) {}

    /** The pieces {@code [start, end)} to keep, in order (some may be empty). */
    List<int[]> apply(List<Span> spans) {
        List<int[]> out = new ArrayList<>(spans.size());
        switch (this) {
            case Removed -> spans.stream().filter(s -> !s.match()).forEach(s -> out.add(new int[] {s.start(), s.end()}));
            case Isolated -> spans.forEach(s -> out.add(new int[] {s.start(), s.end()}));
            case Contiguous -> {
                boolean previous = false;
                for (Span s : spans) {
                    if (s.match() == previous && !out.isEmpty()) out.getLast()[1] = s.end();
                    else out.add(new int[] {s.start(), s.end()});
                    previous = s.match();
                }
            }
            case MergedWithPrevious -> {
                boolean previous = false;
                for (Span s : spans) {
                    if (s.match() && !previous && !out.isEmpty()) out.getLast()[1] = s.end();
                    else out.add(new int[] {s.start(), s.end()});
                    previous = s.match();
                }
            }
            case MergedWithNext -> {
                boolean previous = false;
                for (Span s : spans.reversed()) {
                    if (s.match() && !previous && !out.isEmpty()) out.getLast()[0] = s.start();
                    else out.add(new int[] {s.start(), s.end()});
                    previous = s.match();
                }
                return out.reversed();
            }
        }
        return out;
    }
}
