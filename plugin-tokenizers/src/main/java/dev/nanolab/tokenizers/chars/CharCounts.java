package dev.nanolab.tokenizers.chars;

import dev.nanolab.tokenizers.chars.CharConfig.Unit;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/** How often each character occurs in the training text, and the vocabulary that follows from the counts. */
final class CharCounts {
    private final Unit unit;
    private final long[] counts;
    private long total;

    CharCounts(Unit unit) {
        this.unit = unit;
        this.counts = new long[unit == Unit.CHAR ? 0x10000 : Character.MAX_CODE_POINT + 1];
    }

    void add(String text) {
        if (unit == Unit.CHAR) {
            for (int i = 0, n = text.length(); i < n; i++) counts[text.charAt(i)]++;
            total += text.length();
        } else {
            for (int i = 0, n = text.length(); i < n; ) {
                int cp = text.codePointAt(i);
                counts[cp]++;
                total++;
                i += Character.charCount(cp);
            }
        }
    }

    long total() {
        return total;
    }

    /**
     * The vocabulary, sorted by value: the most frequent characters (ties: the smaller value first) until they make
     * up at least {@code coverage} of all occurrences, less those seen fewer than {@code minFrequency} times.
     */
    int[] vocabulary(double coverage, int minFrequency) {
        Integer[] seen = IntStream.range(0, counts.length).filter(s -> counts[s] > 0).boxed().toArray(Integer[]::new);
        Arrays.sort(seen, Comparator.<Integer>comparingLong(s -> counts[s]).reversed().thenComparing(s -> s));
        double needed = coverage * total;
        long covered = 0;
        int kept = 0;
        while (kept < seen.length && covered < needed) covered += counts[seen[kept++]];
        return Arrays.stream(seen, 0, kept).mapToInt(Integer::intValue)
                .filter(s -> counts[s] >= minFrequency).sorted().toArray();
    }
}
