package dev.nanolab.tokenizers.bpe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanolab.api.data.TextCorpus;
import dev.nanolab.api.tokenizer.Tokenizer;
import dev.nanolab.tokenizers.LoneSurrogateTexts;
import dev.nanolab.tokenizers.TestCorpora;
import dev.nanolab.tokenizers.ValidTexts;
import dev.nanolab.tokenizers.bpe.BpeConfig.PreTokenizer;
import dev.nanolab.tokenizers.codec.Utf8;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class BpeTokenizerTest {
    private static final BpeTokenizerFactory FACTORY = new BpeTokenizerFactory(new BpeConfig().withVocabSize(1500));
    private static final BpeTokenizer BPE = FACTORY.train(corpus());
    private static final BpeTokenizer WHOLE = new BpeTokenizerFactory(
            new BpeConfig(600, 1, 2, 0, List.of("<|endoftext|>"), PreTokenizer.NONE, 1))
            .train(TextCorpus.of("small", TestCorpora.varied(3, 20_000), TestCorpora.varied(4, 20_000)));

    private static TextCorpus corpus() {
        List<String> texts = new ArrayList<>(TestCorpora.jdkSources(200_000));
        texts.add(TestCorpora.varied(2, 100_000));
        return TextCorpus.of("mixed", texts.toArray(String[]::new));
    }

    @Property(tries = 300)
    void everyValidStringRoundTrips(@ForAll @From(supplier = ValidTexts.class) String text) {
        for (Tokenizer t : new Tokenizer[] {BPE, WHOLE}) {
            int[] ids = t.encode(text);
            assertThat(java.util.Arrays.stream(ids).allMatch(id -> id >= 0 && id < t.vocabSize())).isTrue();
            assertThat(t.decode(ids)).isEqualTo(text);
        }
    }

    @Property(tries = 200)
    void loneSurrogatesEncodeAsTheReplacementCharacter(@ForAll @From(supplier = LoneSurrogateTexts.class) String text) {
        String replaced = Utf8.withoutLoneSurrogates(text);
        for (Tokenizer t : new Tokenizer[] {BPE, WHOLE}) {
            assertThat(t.encode(text)).isEqualTo(t.encode(replaced));
            assertThat(t.decode(t.encode(text))).isEqualTo(replaced);
        }
    }

    private static final java.util.Map<Long, Integer> RANKS = NaiveBpe.ranks(BPE.model());

    @Property(tries = 300)
    void heapMergingGivesWhatRescanningGives(@ForAll @From(supplier = ShortRunTexts.class) String text) {
        List<Integer> expected = new ArrayList<>();
        PieceSplitter.of(BPE.model().splitPattern())
                .split(text, (s, e) -> expected.addAll(NaiveBpe.encodePiece(BPE.model(), RANKS, text.substring(s, e))));
        assertThat(BPE.encode(text)).containsExactly(expected.stream().mapToInt(Integer::intValue).toArray());
    }

    @Test
    void longPiecesAreMergedLikeShortOnes() {
        // Longer than the cache takes, and long runs where many merges of one rank compete.
        for (String text : new String[] {"a".repeat(3000), " ".repeat(2001) + "x", "ab".repeat(777), "0".repeat(999)}) {
            List<Integer> expected = new ArrayList<>();
            PieceSplitter.of(BPE.model().splitPattern())
                    .split(text, (s, e) -> expected.addAll(NaiveBpe.encodePiece(BPE.model(), RANKS, text.substring(s, e))));
            assertThat(BPE.encode(text)).containsExactly(expected.stream().mapToInt(Integer::intValue).toArray());
            assertThat(BPE.decode(BPE.encode(text))).isEqualTo(text);
        }
    }

    @Property(tries = 100)
    void aLoadedStateHasTheSameFingerprintAndEncodings(@ForAll @From(supplier = ValidTexts.class) String text) {
        BpeTokenizer loaded = FACTORY.load(BPE.state());
        assertThat(loaded.fingerprint()).isEqualTo(BPE.fingerprint());
        assertThat(loaded.state()).isEqualTo(BPE.state());
        assertThat(loaded.encode(text)).isEqualTo(BPE.encode(text));
        assertThat(loaded.encode(text, Set.of("<|endoftext|>"))).isEqualTo(BPE.encode(text, Set.of("<|endoftext|>")));
    }

    @Test
    void threadsSharingOneTokenizerGetTheSameEncodings() throws Exception {
        BpeTokenizer shared = FACTORY.load(BPE.state());
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 16; i++) texts.add(TestCorpora.varied(100 + i, 30_000));
        List<int[]> expected = texts.stream().map(BPE::encode).toList();
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(4)) {
            List<java.util.concurrent.Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int offset = t;
                results.add(pool.submit(() -> {
                    boolean same = true;
                    for (int i = 0; i < texts.size(); i++) {
                        int k = (i + offset) % texts.size();
                        same &= java.util.Arrays.equals(shared.encode(texts.get(k)), expected.get(k));
                    }
                    return same;
                }));
            }
            for (var r : results) assertThat(r.get()).isTrue();
        }
    }

    @Test
    void specialTokensApplyOnlyWhenAllowed() {
        int eot = BPE.specialToken("<|endoftext|>").orElseThrow();
        assertThat(eot).isEqualTo(1499);
        String text = "int x;<|endoftext|>int y;";
        assertThat(BPE.encode(text)).doesNotContain(eot);
        int[] allowed = BPE.encode(text, Set.of("<|endoftext|>"));
        assertThat(allowed).contains(eot);
        assertThat(BPE.decode(allowed)).isEqualTo(text);
        assertThat(BPE.decode(BPE.encode(text))).isEqualTo(text);
        assertThatThrownBy(() -> BPE.encode(text, Set.of("<s>"))).hasMessage("bpe: '<s>' is not a special token (it has <|endoftext|>)");
    }

    @Test
    void decodingAnUnknownIdNamesItAndItsPosition() {
        assertThatThrownBy(() -> BPE.decode(new int[] {1, 2, 1500})).hasMessage("bpe: token id 1500 at position 2 is outside the vocabulary [0, 1500)");
    }

    @Test
    void theStateIsTheDocumentedFormat() {
        String state = new String(BPE.state(), StandardCharsets.UTF_8);
        assertThat(state).startsWith("{\n  \"format\": \"nanolab-bpe\",\n  \"version\": 1,\n  \"split_pattern\": \"'(?:[sdmt]|ll|ve|re)")
                .contains("\"special_tokens\": {\"<|endoftext|>\": 1499}", "\n    \"Ġ\",", "\n    [");
        BpeModel reread = BpeFile.read(BPE.state());
        assertThat(reread.vocabSize()).isEqualTo(1500);
        assertThat(reread.token(32)).containsExactly(' ');
        assertThat(BpeFile.write(reread)).isEqualTo(BPE.state());
        assertThat(new String(WHOLE.state(), StandardCharsets.UTF_8)).contains("\"split_pattern\": null");
    }

    @Test
    void corruptStatesAreRefusedWithOneLine() {
        String good = new String(BPE.state(), StandardCharsets.UTF_8);
        assertRefused(good.substring(0, good.length() / 2), "nanolab-bpe state: not valid JSON at line");
        assertRefused("[1, 2]", "nanolab-bpe state: expected a JSON object, got array");
        assertRefused(good + "{}", "nanolab-bpe state: not valid JSON at line");
        assertRefused(good.replace("\"version\": 1,", "\"version\": 1, \"version\": 1,"), "nanolab-bpe state: not valid JSON");
        assertRefused(good.replace("\"format\": \"nanolab-bpe\"", "\"format\": \"nanolab-char\""),
                "nanolab-bpe state: the format field is 'nanolab-char', not 'nanolab-bpe'");
        assertRefused(good.replaceFirst("\n    \\[\\d+, \\d+\\]", "\n    [1, 99999]"),
                "nanolab-bpe state: merge 0 uses id 99999, which is not a token");
        assertRefused(good.replaceFirst("\n    \\[\\d+, \\d+\\]", "\n    [0, 1]"), "nanolab-bpe state: merge 0 (0, 1) makes Āā, which is not a token");
        assertRefused(good.replaceFirst("\n    \"Ā\",", "\n    \"A\","), "nanolab-bpe state: tokens 0 and 65 are the same bytes A");
        assertRefused(good.replaceFirst("\n    \"Ā\",", "\n    null,"), "nanolab-bpe state: the single byte 0x0 is not a token");
        assertRefused(good.replaceFirst("\n    \"Ā\",", "\n    \"\u263a\","), "nanolab-bpe state: tokens[0] = '\u263a' has a character outside the byte-level alphabet");
        assertRefused(good.replace("\"split_pattern\": \"", "\"split_pattern\": \"(("), "nanolab-bpe state: the split pattern is not a Java regex");
        assertRefused(good.replace("\"<|endoftext|>\": 1499", "\"<|endoftext|>\": 97"),
                "nanolab-bpe state: special token <|endoftext|> has id 97, which is also the bytes a");
    }

    private static void assertRefused(String state, String messageStart) {
        assertThatThrownBy(() -> FACTORY.load(state.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(messageStart)
                .hasMessageNotContaining("\n");
    }

    /** Texts whose runs are short enough for the quadratic reference. */
    public static final class ShortRunTexts implements net.jqwik.api.ArbitrarySupplier<String> {
        @Override
        public net.jqwik.api.Arbitrary<String> get() {
            return dev.nanolab.tokenizers.UnicodeTexts.valid(300);
        }
    }
}
