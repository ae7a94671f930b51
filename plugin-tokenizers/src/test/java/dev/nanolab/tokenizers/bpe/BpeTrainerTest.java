package dev.nanolab.tokenizers.bpe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanolab.api.config.ConfigException;
import dev.nanolab.api.data.TextCorpus;
import dev.nanolab.tokenizers.TestCorpora;
import dev.nanolab.tokenizers.bpe.BpeConfig.PreTokenizer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class BpeTrainerTest {
    private static BpeConfig config(int vocab, double coverage, int minFrequency, int maxLength, List<String> specials,
                                    PreTokenizer pre) {
        return new BpeConfig(vocab, coverage, minFrequency, maxLength, specials, pre, 1);
    }

    private static List<int[]> merges(BpeModel model) {
        List<int[]> merges = new ArrayList<>();
        for (int r = 0; r < model.mergeCount(); r++) merges.add(java.util.Arrays.copyOf(model.merge(r), 2));
        return merges;
    }

    private static BpeTokenizer train(BpeConfig config, String... texts) {
        return new BpeTokenizerFactory(config).train(TextCorpus.of("test", texts));
    }

    @Test
    void mergesOfTheTextbookExampleAreTheHandComputedOnes() {
        // "aaabdaaabac", one piece (no pre-tokenizer). Byte ids: a=97, b=98, c=99, d=100.
        //   pairs: aa 4 (overlapping: a a a counts twice), ab 2, bd 1, da 1, ba 1, ac 1
        //   1. (a,a)=4 -> 256 "aa"; left to right: aa a b d aa a b a c
        //      pairs: (aa,a) 2, (a,b) 2, (b,d) 1, (d,aa) 1, (b,a) 1, (a,c) 1
        //   2. tie at 2: (97,98) before (256,97), the smaller left id wins -> 257 "ab": aa ab d aa ab a c
        //      pairs: (aa,ab) 2, the rest 1
        //   3. (256,257)=2 -> 258 "aaab": aaab d aaab a c
        BpeTokenizer bpe = train(config(259, 1, 1, 0, List.of(), PreTokenizer.NONE), "aaabdaaabac");
        assertThat(merges(bpe.model())).containsExactly(new int[] {97, 97}, new int[] {97, 98}, new int[] {256, 257});
        assertThat(bpe.encode("aaabdaaabac")).containsExactly(258, 100, 258, 97, 99);
    }

    @Test
    void mergesWithWordFrequenciesAreTheHandComputedOnes() {
        // GPT-2 pieces of "ab ab ab abc abc bc": "ab" x1, " ab" x2, " abc" x2, " bc" x1. Space=32, a=97, b=98, c=99.
        //   pairs: (a,b) 1+2+2=5, (32,a) 2+2=4, (b,c) 2+1=3, (32,b) 1
        //   1. (97,98) -> 256 "ab"    words: [256], [32 256]x2, [32 256 99]x2, [32 98 99]
        //      pairs: (32,256) 4, (256,99) 2, (98,99) 1, (32,98) 1
        //   2. (32,256) -> 257 " ab"  words: [257]x2, [257 99]x2; pairs: (257,99) 2, (98,99) 1, (32,98) 1
        //   3. (257,99) -> 258 " abc"; left (98,99) 1 and (32,98) 1
        //   4. tie at 1: left id 32 < 98 -> (32,98) -> 259 " b"; then (259,99) 1
        //   5. (259,99) -> 260 " bc"; the special token gets 261
        String text = "ab ab ab abc abc bc";
        BpeTokenizer bpe = train(config(262, 1, 1, 0, List.of("<|endoftext|>"), PreTokenizer.GPT2), text);
        assertThat(merges(bpe.model())).containsExactly(new int[] {97, 98}, new int[] {32, 256}, new int[] {257, 99},
                new int[] {32, 98}, new int[] {259, 99});
        assertThat(bpe.vocabSize()).isEqualTo(262);
        assertThat(bpe.specialToken("<|endoftext|>")).hasValue(261);
        assertThat(bpe.encode(text)).containsExactly(256, 257, 257, 258, 258, 260);
        // With min_frequency 2 training stops after merge 3: the vocabulary is smaller than asked.
        BpeTokenizer frequent = train(config(262, 1, 2, 0, List.of("<|endoftext|>"), PreTokenizer.GPT2), text);
        assertThat(merges(frequent.model())).hasSize(3);
        assertThat(frequent.vocabSize()).isEqualTo(260);
        assertThat(frequent.specialToken("<|endoftext|>")).hasValue(259);
    }

    @Provide
    Arbitrary<List<String>> smallAlphabetCorpora() {
        return Arbitraries.strings().withChars("aab b  c'\nd\u00e9\u4e2d").ofMaxLength(300).list().ofMinSize(1).ofMaxSize(4);
    }

    @Property(tries = 150)
    void incrementalTrainingGivesTheMergesOfNaiveRecounting(
            @ForAll("smallAlphabetCorpora") List<String> texts, @ForAll @IntRange(min = 256, max = 420) int vocab,
            @ForAll @IntRange(min = 1, max = 3) int minFrequency, @ForAll @IntRange(min = 0, max = 6) int maxLength,
            @ForAll boolean gpt2) {
        int maxPieceLength = maxLength == 1 ? 0 : maxLength;
        PreTokenizer pre = gpt2 ? PreTokenizer.GPT2 : PreTokenizer.NONE;
        BpeModel model = train(config(vocab, 1, minFrequency, maxPieceLength, List.of(), pre), texts.toArray(String[]::new)).model();

        Map<String, Long> pieces = new LinkedHashMap<>();
        PieceSplitter splitter = PieceSplitter.of(pre.pattern());
        for (String text : texts) splitter.split(text, (s, e) -> pieces.merge(text.substring(s, e), 1L, Long::sum));
        List<int[]> expected = NaiveBpe.train(pieces, vocab - 256, minFrequency, maxPieceLength);
        assertThat(merges(model)).usingRecursiveFieldByFieldElementComparator().isEqualTo(expected);
    }

    @Test
    void vocabularyIsExactlyAsAskedAndTokensAreWithinTheMaximumLength() {
        String[] corpus = TestCorpora.jdkSources(300_000).toArray(String[]::new);
        BpeTokenizer bpe = train(config(3000, 1, 2, 8, List.of("<|endoftext|>", "<|pad|>"), PreTokenizer.GPT2), corpus);
        assertThat(bpe.vocabSize()).isEqualTo(3000);
        assertThat(bpe.model().mergeCount()).isEqualTo(3000 - 256 - 2);
        assertThat(bpe.specialToken("<|pad|>")).hasValue(2999);
        int longest = 0;
        for (int id = 0; id < 2998; id++) longest = Math.max(longest, bpe.model().token(id).length);
        assertThat(longest).isEqualTo(8);
    }

    @Test
    void trainingTwiceGivesByteIdenticalStatesForAnyThreadCount() {
        // Over 1 MiB, so that counting is split into several batches on several threads.
        List<String> corpus = new ArrayList<>(TestCorpora.jdkSources(1_200_000));
        corpus.add(TestCorpora.varied(7, 600_000));
        TextCorpus text = TextCorpus.of("mixed", corpus.toArray(String[]::new));
        BpeConfig config = new BpeConfig().withVocabSize(2048);
        byte[] one = new BpeTokenizerFactory(config.withThreads(1)).train(text).state();
        byte[] again = new BpeTokenizerFactory(config.withThreads(1)).train(text).state();
        byte[] three = new BpeTokenizerFactory(config.withThreads(3)).train(text).state();
        byte[] all = new BpeTokenizerFactory(config.withThreads(0)).train(text).state();
        assertThat(again).isEqualTo(one);
        assertThat(three).isEqualTo(one);
        assertThat(all).isEqualTo(one);
    }

    @Test
    void charactersOutsideTheCoverageStayAsBytes() {
        // ü (C3 BC) is 5 of ~10000 characters: inside 99.99% coverage, outside 99.9%.
        String text = ("über " + "the cat sat on the mat. ".repeat(80)).repeat(5);
        byte[] u = "ü".getBytes(StandardCharsets.UTF_8);
        BpeTokenizer covered = train(config(600, 0.9999, 2, 0, List.of(), PreTokenizer.GPT2), text);
        BpeTokenizer rare = train(config(600, 0.999, 2, 0, List.of(), PreTokenizer.GPT2), text);
        assertThat(tokensContaining(covered.model(), u)).isNotEmpty();
        assertThat(tokensContaining(rare.model(), u)).isEmpty();
        assertThat(rare.encode("über")).startsWith(rare.model().byteId(0xC3), rare.model().byteId(0xBC));
        assertThat(rare.decode(rare.encode(text))).isEqualTo(text);
    }

    private static List<Integer> tokensContaining(BpeModel model, byte[] bytes) {
        List<Integer> ids = new ArrayList<>();
        for (int id = 0; id < model.vocabSize(); id++) {
            byte[] t = model.token(id);
            if (t != null && t.length > bytes.length && indexOf(t, bytes) >= 0) ids.add(id);
        }
        return ids;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) if (haystack[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }

    @Test
    void specialTokensInTheTrainingTextAreOrdinaryText() {
        BpeTokenizer bpe = train(config(300, 1, 1, 0, List.of("<|endoftext|>"), PreTokenizer.GPT2),
                "<|endoftext|>".repeat(50));
        int eot = bpe.specialToken("<|endoftext|>").orElseThrow();
        assertThat(bpe.encode("x<|endoftext|>")).doesNotContain(eot);
        assertThat(bpe.encode("x<|endoftext|>", Set.of("<|endoftext|>"))).endsWith(eot);
    }

    @Test
    void invalidConfigsNameTheirKey() {
        assertThatThrownBy(() -> config(257, 1, 1, 0, List.of("<a>", "<b>"), PreTokenizer.GPT2))
                .isInstanceOf(ConfigException.class)
                .hasMessage("vocab_size: 257 is less than 256 bytes + 2 special tokens");
        assertThatThrownBy(() -> config(300, 1, 1, 0, List.of("<a>", "<a>"), PreTokenizer.GPT2))
                .hasMessage("special_tokens: <a> is listed twice");
        assertThatThrownBy(() -> config(300, 1.5, 1, 0, List.of(), PreTokenizer.GPT2))
                .hasMessage("character_coverage: 1.5 is not in (0, 1]");
        assertThat(new BpeConfig().vocabSize()).isEqualTo(8192);
    }
}
