package dev.nanolab.tokenizers.tiktoken;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanolab.api.data.TextCorpus;
import dev.nanolab.api.tokenizer.Tokenizer;
import dev.nanolab.tokenizers.LoneSurrogateTexts;
import dev.nanolab.tokenizers.ValidTexts;
import dev.nanolab.tokenizers.codec.Utf8;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Expected ids are facts from tiktoken's own tests (tests/test_encoding.py: test_simple, test_simple_repeated,
 * test_simple_regex, test_basic_encode, test_encode_surrogate_pairs) and jtokkit's reference files
 * (r50k_base_encodings.csv), plus o200k_base's "hello world".
 */
class TiktokenTokenizerTest {
    private static Tokenizer tokenizer(TiktokenEncoding encoding) {
        return new TiktokenTokenizerFactory(encoding).train(TextCorpus.of("unused"));
    }

    private final Tokenizer gpt2 = tokenizer(TiktokenEncoding.GPT2);
    private final Tokenizer p50k = tokenizer(TiktokenEncoding.P50K_BASE);
    private final Tokenizer cl100k = tokenizer(TiktokenEncoding.CL100K_BASE);
    private final Tokenizer o200k = tokenizer(TiktokenEncoding.O200K_BASE);

    @Test
    void gpt2GivesTheIdsTiktokenDocuments() {
        assertThat(gpt2.encode("hello world")).containsExactly(31373, 995);
        assertThat(gpt2.decode(new int[] {31373, 995})).isEqualTo("hello world");
        assertThat(gpt2.encode("hello <|endoftext|>", Set.of("<|endoftext|>"))).containsExactly(31373, 220, 50256);
        assertThat(gpt2.encode("0")).containsExactly(15);
        assertThat(gpt2.encode("0000")).containsExactly(2388);
        assertThat(gpt2.encode("000000000")).containsExactly(10535, 830);
        assertThat(gpt2.encode("0000000000000000")).containsExactly(25645);
        assertThat(gpt2.encode("00000000000000000")).containsExactly(8269, 10535, 830);
        assertThat(gpt2.encode("Hello world!")).containsExactly(15496, 995, 0);
        assertThat(gpt2.encode("I love 🍕")).containsExactly(40, 1842, 12520, 235, 243);
        assertThat(gpt2.encode("This is a sentence without spaces.")).containsExactly(1212, 318, 257, 6827, 1231, 9029, 13);
        assertThat(gpt2.encode("")).isEmpty();
    }

    @Test
    void otherEncodingsGiveTheIdsTiktokenDocuments() {
        assertThat(p50k.encode("hello world")).containsExactly(31373, 995);
        assertThat(cl100k.encode("hello world")).containsExactly(15339, 1917);
        assertThat(cl100k.encode("hello <|endoftext|>", Set.of("<|endoftext|>"))).containsExactly(15339, 220, 100257);
        assertThat(cl100k.encode("rer")).containsExactly(38149);
        assertThat(cl100k.encode("'rer")).containsExactly(2351, 81);
        assertThat(cl100k.encode("today\n ")).containsExactly(31213, 198, 220);
        assertThat(cl100k.encode("today\n \n")).containsExactly(31213, 27907);
        assertThat(cl100k.encode("today\n  \n")).containsExactly(31213, 14211);
        assertThat(cl100k.encode(" \u00850")).containsExactly(220, 126, 227, 15);
        assertThat(cl100k.encode("👍")).containsExactly(9468, 239, 235);
        assertThat(o200k.encode("hello world")).containsExactly(24912, 2375);
    }

    @Test
    void aLoneSurrogateEncodesAsTheReplacementCharacterLikeTiktoken() {
        // tiktoken: enc.encode("\ud83d") == enc.encode("�")
        assertThat(cl100k.encode("\uD83D")).containsExactly(cl100k.encode("\uFFFD"));
        assertThat(gpt2.encode("a\uDC00b")).containsExactly(gpt2.encode("a\uFFFDb"));
        assertThat(cl100k.decode(cl100k.encode("x\uD83D"))).isEqualTo("x\uFFFD");
    }

    @Test
    void vocabularySizesAreTiktokensNVocab() {
        assertThat(gpt2.vocabSize()).isEqualTo(50257);
        assertThat(p50k.vocabSize()).isEqualTo(50281);
        assertThat(cl100k.vocabSize()).isEqualTo(100277);
        assertThat(o200k.vocabSize()).isEqualTo(200019);
    }

    @ParameterizedTest
    @EnumSource(TiktokenEncoding.class)
    void specialTokensAreTextUnlessAllowed(TiktokenEncoding encoding) {
        Tokenizer t = tokenizer(encoding);
        int eot = t.specialToken("<|endoftext|>").orElseThrow();
        String text = "a<|endoftext|>b<|endoftext|>";
        assertThat(t.encode(text)).doesNotContain(eot);
        assertThat(t.decode(t.encode(text))).isEqualTo(text);
        int[] allowed = t.encode(text, Set.of("<|endoftext|>"));
        assertThat(allowed).containsSubsequence(t.encode("a")[0], eot).endsWith(eot);
        assertThat(java.util.Arrays.stream(allowed).filter(id -> id == eot)).hasSize(2);
        assertThat(t.decode(allowed)).isEqualTo(text);
        assertThat(t.decode(new int[] {eot})).isEqualTo("<|endoftext|>");
        assertThatThrownBy(() -> t.encode(text, Set.of("<|nope|>")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'<|nope|>' is not a special token");
    }

    @Test
    void cl100kSpecialTokensHaveTiktokensIdsAndOnlyTheAllowedOnesApply() {
        assertThat(cl100k.specialToken("<|fim_prefix|>")).hasValue(100258);
        assertThat(cl100k.specialToken("<|endofprompt|>")).hasValue(100276);
        assertThat(o200k.specialToken("<|endoftext|>")).hasValue(199999);
        assertThat(cl100k.decode(new int[] {100258, 100259, 100260, 100276}))
                .isEqualTo("<|fim_prefix|><|fim_middle|><|fim_suffix|><|endofprompt|>");
        String text = "<|endoftext|> hello <|fim_prefix|> there <|fim_middle|>";
        assertThat(cl100k.encode(text, Set.of("<|fim_prefix|>"))).contains(100258).doesNotContain(100257, 100259);
    }

    @Test
    void unassignedAndOutOfRangeIdsAreErrors() {
        assertThatThrownBy(() -> cl100k.decode(new int[] {1, 100256}))
                .hasMessage("tiktoken:cl100k_base: token id 100256 at position 1 is not assigned in the vocabulary");
        assertThatThrownBy(() -> gpt2.decode(new int[] {50257}))
                .hasMessage("tiktoken:gpt2: token id 50257 at position 0 is outside the vocabulary [0, 50257)");
    }

    @Property(tries = 150)
    void everyValidStringRoundTrips(@ForAll @From(supplier = ValidTexts.class) String text) {
        for (Tokenizer t : new Tokenizer[] {gpt2, p50k, cl100k, o200k}) assertThat(t.decode(t.encode(text))).isEqualTo(text);
    }

    @Property(tries = 100)
    void loneSurrogatesComeBackAsReplacementCharacters(@ForAll @From(supplier = LoneSurrogateTexts.class) String text) {
        for (Tokenizer t : new Tokenizer[] {gpt2, cl100k})
            assertThat(t.decode(t.encode(text))).isEqualTo(Utf8.withoutLoneSurrogates(text));
    }

    @Test
    void stateNamesTheEncodingAndItsRanks() {
        TiktokenTokenizerFactory factory = new TiktokenTokenizerFactory(TiktokenEncoding.CL100K_BASE);
        String state = new String(cl100k.state(), StandardCharsets.UTF_8);
        assertThat(state).contains("\"encoding\" : \"cl100k_base\"").containsPattern("\"ranks_sha256\" : \"[0-9a-f]{64}\"");
        assertThat(factory.load(cl100k.state()).fingerprint()).isEqualTo(cl100k.fingerprint());
        assertThat(cl100k.fingerprint()).isNotEqualTo(o200k.fingerprint());
        assertThatThrownBy(() -> factory.load(o200k.state()))
                .hasMessage("nanolab-tiktoken state: it is of encoding 'o200k_base', not 'cl100k_base'");
        byte[] otherRanks = state.replaceAll("\"ranks_sha256\" : \"[0-9a-f]+\"", "\"ranks_sha256\" : \"00\"")
                .getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> factory.load(otherRanks))
                .hasMessageStartingWith("nanolab-tiktoken state: it was made with other cl100k_base ranks (SHA-256 00)");
    }
}
