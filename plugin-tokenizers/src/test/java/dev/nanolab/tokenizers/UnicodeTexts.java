package dev.nanolab.tokenizers;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Strings for property tests: valid Unicode weighted towards what breaks tokenizers (emoji and other supplementary
 * code points, combining marks, CJK, control characters, unusual whitespace, contractions), the empty string, and
 * long runs of one character.
 */
public final class UnicodeTexts {
    private UnicodeTexts() {}

    public static Arbitrary<Integer> codePoints() {
        return Arbitraries.frequencyOf(
                Tuple.of(12, Arbitraries.integers().between(0x20, 0x7E)),
                Tuple.of(4, Arbitraries.of(0x20, 0x0A, 0x09, 0x0D, 0x27, 0x0B, 0x0C)),
                Tuple.of(2, Arbitraries.integers().between(0x00, 0x1F)),
                Tuple.of(1, Arbitraries.integers().between(0x7F, 0x9F)),
                Tuple.of(3, Arbitraries.integers().between(0xA0, 0x24F)),
                Tuple.of(3, Arbitraries.integers().between(0x300, 0x36F)),
                Tuple.of(3, Arbitraries.integers().between(0x4E00, 0x9FFF)),
                Tuple.of(1, Arbitraries.integers().between(0x0600, 0x06FF)),
                Tuple.of(1, Arbitraries.integers().between(0x0900, 0x097F)),
                Tuple.of(3, Arbitraries.integers().between(0x1F300, 0x1FAFF)),
                Tuple.of(2, Arbitraries.of(0x200D, 0xFE0F, 0x00A0, 0x2028, 0x2029, 0x3000, 0x0085, 0xFEFF, 0x2009, 0x1680)),
                Tuple.of(1, Arbitraries.integers().between(0xE000, 0xFFFF)),
                Tuple.of(1, Arbitraries.integers().between(0x10000, Character.MAX_CODE_POINT)));
    }

    /** Valid UTF-16 (no lone surrogates), from empty to tens of thousands of characters. */
    public static Arbitrary<String> valid() {
        return valid(20_000);
    }

    /** Valid UTF-16 whose runs of one character are at most {@code maxRun} long. */
    public static Arbitrary<String> valid(int maxRun) {
        Arbitrary<String> mixed = codePoints().list().ofMaxSize(40).map(UnicodeTexts::string);
        Arbitrary<String> words = Arbitraries.of("the", " the", "don't", "'s", "'ll", "  ", "\n\n", "123", " 4567",
                "日本語", "👍🏽", "e\u0301", "👨‍👩‍👧", "<|endoftext|>", "\t\t", "--", "x".repeat(70)).list().ofMaxSize(12)
                .map(parts -> String.join("", parts));
        Arbitrary<String> run = Combinators.combine(codePoints(), Arbitraries.integers().between(1, maxRun))
                .as((cp, n) -> Character.toString(cp).repeat(n));
        Arbitrary<String> piece = Arbitraries.frequencyOf(Tuple.of(6, mixed), Tuple.of(3, words), Tuple.of(1, run));
        return Arbitraries.oneOf(Arbitraries.just(""), piece.list().ofMaxSize(4).map(parts -> String.join("", parts)));
    }

    /** Like {@link #valid()} but with lone high and low surrogates mixed in. */
    public static Arbitrary<String> withLoneSurrogates() {
        Arbitrary<String> lone = Arbitraries.chars().range('\uD800', '\uDFFF').map(String::valueOf);
        return Combinators.combine(valid(), lone, valid()).as((a, s, b) -> a + s + b);
    }

    private static String string(List<Integer> codePoints) {
        StringBuilder s = new StringBuilder();
        codePoints.forEach(s::appendCodePoint);
        return s.toString();
    }
}
