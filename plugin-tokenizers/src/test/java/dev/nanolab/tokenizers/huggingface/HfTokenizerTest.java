package dev.nanolab.tokenizers.huggingface;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nanolab.api.data.TextCorpus;
import dev.nanolab.api.tokenizer.Tokenizer;
import dev.nanolab.tokenizers.TestCorpora;
import dev.nanolab.tokenizers.bpe.BpeTokenizer;
import dev.nanolab.tokenizers.bpe.ByteLevelAlphabet;
import dev.nanolab.tokenizers.tiktoken.TiktokenEncoding;
import dev.nanolab.tokenizers.tiktoken.TiktokenTokenizerFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HfTokenizerTest {
    private static final TextCorpus NO_TEXT = TextCorpus.of("unused");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    private static Path gpt2Json;
    private static BpeTokenizer hf;
    private static final Tokenizer TIKTOKEN = new TiktokenTokenizerFactory(TiktokenEncoding.GPT2).train(NO_TEXT);

    @BeforeAll
    static void loadGpt2() throws IOException {
        gpt2Json = Files.write(dir.resolve("tokenizer.json"), Gpt2TokenizerJson.build());
        hf = (BpeTokenizer) new HfTokenizerFactory(new HfConfig(gpt2Json.toString())).train(NO_TEXT);
    }

    @Test
    void gpt2FromTokenizerJsonEncodesMegabytesExactlyAsTiktokenGpt2() {
        List<String> texts = new ArrayList<>(TestCorpora.jdkSources(1_500_000));
        texts.add(TestCorpora.varied(11, 700_000));
        TestCorpora.preparedEnglish(1_000_000).ifPresent(texts::add);
        long chars = 0;
        for (String text : texts) {
            int[] expected = TIKTOKEN.encode(text);
            assertThat(hf.encode(text)).as("a text starting %.40s", text).isEqualTo(expected);
            chars += text.length();
        }
        assertThat(chars).isGreaterThan(2_000_000);
    }

    @Test
    void gpt2FromTokenizerJsonHasGpt2sVocabularyAndSpecialToken() {
        assertThat(hf.name()).isEqualTo("hf");
        assertThat(hf.vocabSize()).isEqualTo(50257);
        assertThat(hf.model().mergeCount()).isEqualTo(50000);
        assertThat(hf.encode("hello world")).containsExactly(31373, 995);
        assertThat(hf.encode("hello <|endoftext|>", Set.of("<|endoftext|>"))).containsExactly(31373, 220, 50256);
        assertThat(hf.encode("hello <|endoftext|>")).doesNotContain(50256);
        assertThat(hf.decode(new int[] {31373, 220, 50256})).isEqualTo("hello <|endoftext|>");
        // GPT-2's ids 0..255 are the bytes in byte-level alphabet order: id 0 is '!'.
        assertThat(hf.model().token(0)).containsExactly('!');
    }

    @Test
    void stateIsTheNanolabBpeFormatAndTheJsonItselfLoadsToo() throws IOException {
        HfTokenizerFactory factory = new HfTokenizerFactory(new HfConfig());
        BpeTokenizer fromState = (BpeTokenizer) factory.load(hf.state());
        BpeTokenizer fromJson = (BpeTokenizer) factory.load(Files.readAllBytes(gpt2Json));
        assertThat(new String(hf.state(), 0, 40, StandardCharsets.UTF_8)).contains("\"format\": \"nanolab-bpe\"");
        assertThat(fromState.fingerprint()).isEqualTo(hf.fingerprint());
        assertThat(fromJson.fingerprint()).isEqualTo(hf.fingerprint());
        String sample = TestCorpora.varied(5, 20_000);
        assertThat(fromState.encode(sample)).isEqualTo(hf.encode(sample));
    }

    /** A byte-level tokenizer.json whose ids 0..255 are the bytes, plus the given tokens and merges. */
    private static ObjectNode small(String[] extraTokens, String... merges) {
        ObjectNode root = JSON.createObjectNode();
        root.putNull("normalizer");
        root.putObject("pre_tokenizer").put("type", "ByteLevel").put("add_prefix_space", false).put("use_regex", true);
        root.putObject("decoder").put("type", "ByteLevel");
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE");
        ObjectNode vocab = model.putObject("vocab");
        for (int b = 0; b < 256; b++) vocab.put(ByteLevelAlphabet.toText(new byte[] {(byte) b}), b);
        for (int i = 0; i < extraTokens.length; i++) vocab.put(extraTokens[i], 256 + i);
        for (String m : merges) model.withArray("merges").add(m);
        return root;
    }

    private static BpeTokenizer load(ObjectNode json) throws IOException {
        return (BpeTokenizer) new HfTokenizerFactory(new HfConfig()).load(JSON.writeValueAsBytes(json));
    }

    @Test
    void ignoreMergesTakesAWholePieceThatIsAToken() throws IOException {
        ObjectNode json = small(new String[] {"ab", "xyz"}, "a b");
        assertThat(load(json).encode("xyz ab")).containsExactly('x', 'y', 'z', ' ', 256);
        ((ObjectNode) json.get("model")).put("ignore_merges", true);
        assertThat(load(json).encode("xyz ab")).containsExactly(257, ' ', 256);
    }

    @Test
    void addPrefixSpaceAndSplitPreTokenizersAreApplied() throws IOException {
        ObjectNode json = small(new String[] {"Ġa", "Ġab"}, "Ġ a", "Ġa b");
        ((ObjectNode) json.get("pre_tokenizer")).put("add_prefix_space", true);
        assertThat(load(json).encode("ab")).containsExactly(257);
        // Llama-3 style: Split on a regex (here: digits one at a time), then ByteLevel without its own regex.
        ObjectNode split = small(new String[] {"12"}, "1 2");
        ObjectNode sequence = split.putObject("pre_tokenizer").put("type", "Sequence");
        sequence.putArray("pretokenizers").addObject().put("type", "Split").put("behavior", "Isolated").put("invert", false)
                .putObject("pattern").put("Regex", "\\p{N}");
        sequence.withArray("pretokenizers").addObject().put("type", "ByteLevel").put("use_regex", false);
        assertThat(load(split).encode("12")).containsExactly('1', '2');
        assertThat(load(split).decode(load(split).encode("x12 y"))).isEqualTo("x12 y");
    }

    @Test
    void otherKindsOfTokenizerAreRefusedWithOneLine() throws IOException {
        ObjectNode wordPiece = small(new String[0]);
        ((ObjectNode) wordPiece.get("model")).put("type", "WordPiece");
        // WordPiece is read by the pipeline (HfPipelineTest), which has no ByteLevel pre-tokenizer.
        assertRefused(wordPiece, "tokenizer.json: pre_tokenizer.type: 'ByteLevel' is not supported (supported pre-tokenizers:");
        ObjectNode normalized = small(new String[0]);
        normalized.putObject("normalizer").put("type", "NFKC");
        assertRefused(normalized, "tokenizer.json: normalizer NFKC is not supported");
        ObjectNode metaspace = small(new String[0]);
        metaspace.putObject("pre_tokenizer").put("type", "Metaspace");
        assertRefused(metaspace, "tokenizer.json: pre_tokenizer Metaspace is not supported");
        ObjectNode badMerge = small(new String[0], "a q");
        assertRefused(badMerge, "tokenizer.json: merge 0 (97, 113) makes aq, which is not a token");
        ObjectNode sentencePiece = small(new String[] {"▁the"});
        assertRefused(sentencePiece, "tokenizer.json: vocab token '▁the' (id 256) is not written in the byte-level alphabet");
        assertThatThrownBy(() -> new HfTokenizerFactory(new HfConfig()).load("{\"model\": ".getBytes()))
                .hasMessageStartingWith("hf state: not valid JSON").hasMessageNotContaining("\n");
        // A fuzzing finding: an id near Integer.MAX_VALUE used to allocate an array that large (OutOfMemoryError).
        ObjectNode hugeId = small(new String[0]);
        ((ObjectNode) hugeId.path("model").path("vocab")).put("a", 2_000_000_000);
        assertRefused(hugeId, "tokenizer.json: token id 2000000000 is beyond the");
    }

    private static void assertRefused(ObjectNode json, String messageStart) {
        assertThatThrownBy(() -> load(json)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(messageStart).hasMessageNotContaining("\n");
    }

    @Test
    void aMissingPathOrFileIsAClearError() {
        assertThatThrownBy(() -> new HfTokenizerFactory(new HfConfig()).train(NO_TEXT))
                .hasMessage("hf: set path to a HuggingFace tokenizer.json");
        Path missing = dir.resolve("nope.json");
        assertThatThrownBy(() -> new HfTokenizerFactory(new HfConfig(missing.toString())).train(NO_TEXT))
                .hasMessageStartingWith("hf: cannot read " + missing + ": NoSuchFileException");
    }
}
