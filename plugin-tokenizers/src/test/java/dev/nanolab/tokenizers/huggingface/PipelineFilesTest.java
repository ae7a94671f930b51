package dev.nanolab.tokenizers.huggingface;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nanolab.api.data.TextCorpus;
import dev.nanolab.api.tokenizer.Tokenizer;
import dev.nanolab.tokenizers.TestCorpora;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the three non-byte-level kinds share: loading from a path, the state, ids on decode, and refusals. */
class PipelineFilesTest {
    @TempDir
    Path dir;

    private static List<ObjectNode> files() {
        return List.of(HfFiles.bert(), HfFiles.llama(), HfFiles.t5(), HfFiles.llamaMetaspace("first"));
    }

    @Test
    void aFileOnDiskLoadsAndItsStateReloadsToTheSameTokenizer() throws IOException {
        String sample = TestCorpora.varied(3, 5_000);
        for (ObjectNode json : files()) {
            Path file = Files.write(dir.resolve("tokenizer.json"), HfFiles.JSON.writeValueAsBytes(json));
            HfTokenizerFactory factory = new HfTokenizerFactory(new HfConfig(file.toString()));
            Tokenizer tokenizer = factory.train(TextCorpus.of("unused"));
            assertThat(new String(tokenizer.state(), StandardCharsets.UTF_8)).startsWith("{\n  \"format\" : \"nanolab-hf\",\n  \"version\" : 1,");
            Tokenizer reloaded = factory.load(tokenizer.state());
            assertThat(reloaded.fingerprint()).isEqualTo(tokenizer.fingerprint());
            assertThat(reloaded.encode(sample)).isEqualTo(tokenizer.encode(sample));
            assertThat(factory.load(Files.readAllBytes(file)).fingerprint()).isEqualTo(tokenizer.fingerprint());
        }
        assertThat(HfFiles.load(HfFiles.bert()).fingerprint()).isNotEqualTo(HfFiles.load(HfFiles.t5()).fingerprint());
    }

    @Test
    void decodingAnIdOutsideTheVocabularyNamesItAndItsPosition() {
        Tokenizer bert = HfFiles.load(HfFiles.bert());
        assertThatThrownBy(() -> bert.decode(new int[] {7, 16})).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("hf: token id 16 at position 1 is outside the vocabulary [0, 16)");
        ObjectNode gap = HfFiles.t5();
        HfFiles.addedToken(gap, 20, "<extra_id_0>");
        Tokenizer t5 = HfFiles.load(gap);
        assertThat(t5.vocabSize()).isEqualTo(21);
        assertThat(t5.decode(new int[] {20})).isEqualTo("<extra_id_0>");
        assertThatThrownBy(() -> t5.decode(new int[] {3, 15})).hasMessage("hf: token id 15 at position 1 is not assigned in the vocabulary");
    }

    @Test
    void whatIsNotSupportedIsRefusedWithOneLineNamingTheFilePathAndValue() {
        refused(HfFiles.t5(), j -> ((ArrayNode) j.putObject("normalizer").put("type", "Sequence").putArray("normalizers"))
                        .addObject().put("type", "NmtNormalizer"),
                "tokenizer.json: normalizer.normalizers[0].type: 'NmtNormalizer' is not supported (supported normalizers: Sequence,");
        refused(HfFiles.llama(), j -> ((ObjectNode) j.get("model")).put("dropout", 0.1),
                "tokenizer.json: model.dropout: 0.1 is not supported (encoding would be random)");
        refused(HfFiles.bert(), j -> ((ObjectNode) j.get("model")).put("type", "WordLevel"),
                "tokenizer.json: model.type: 'WordLevel' is not supported (supported models: WordPiece, BPE, Unigram)");
        refused(HfFiles.bert(), j -> ((ObjectNode) j.get("model")).put("unk_token", "<unk>"),
                "tokenizer.json: model.unk_token: '<unk>' is not in model.vocab");
        refused(HfFiles.bert(), j -> j.putObject("decoder").put("type", "CTC"),
                "tokenizer.json: decoder.type: 'CTC' is not supported (supported decoders:");
        refused(HfFiles.bert(), j -> j.putObject("pre_tokenizer").put("type", "UnicodeScripts"),
                "tokenizer.json: pre_tokenizer.type: 'UnicodeScripts' is not supported (supported pre-tokenizers:");
        refused(HfFiles.t5(), j -> ((ObjectNode) j.get("pre_tokenizer")).put("prepend_scheme", "sometimes"),
                "tokenizer.json: pre_tokenizer.prepend_scheme: 'sometimes' is not supported (one of always, first, never)");
        refused(HfFiles.t5(), j -> ((ObjectNode) j.get("decoder")).put("trim_offsets", true),
                "tokenizer.json: decoder.trim_offsets: unknown key (known here:");
        refused(HfFiles.t5(), j -> ((ObjectNode) j.get("model")).putNull("unk_id"),
                "tokenizer.json: model.unk_id: null is not supported (without unk_id,");
        refused(HfFiles.llama(), j -> ((ArrayNode) j.get("model").get("merges")).add("h q"),
                "tokenizer.json: model.merges[7]: 'q' is not in model.vocab");
        refused(HfFiles.llama(), j -> ((ArrayNode) j.get("decoder").get("decoders")).addObject().put("type", "Replace")
                        .putObject("pattern").put("Regex", "(unclosed"),
                "tokenizer.json: decoder.decoders[4].pattern.Regex: '(unclosed' is not supported (java.util.regex cannot compile it:");
        refused(HfFiles.t5(), j -> ((ArrayNode) j.get("model").get("vocab")).addArray().add("x"),
                "tokenizer.json: model.vocab[12]: is not [piece, score]");
    }

    private static void refused(ObjectNode json, Consumer<ObjectNode> change, String messageStart) {
        change.accept(json);
        assertThatThrownBy(() -> HfFiles.load(json)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(messageStart).hasMessageNotContaining("\n");
    }
}
