package dev.nanolab.tokenizers.huggingface.normalizer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nanolab.tokenizers.huggingface.pipeline.HfNode;
import org.junit.jupiter.api.Test;

class NormalizerReaderTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Normalizer read(String json) throws Exception {
        return NormalizerReader.read(HfNode.root("t.json", JSON.readTree(json)));
    }

    @Test
    void unicodeFormsLowercaseStripReplacePrependAndSequence() throws Exception {
        assertThat(read("{\"type\":\"NFKC\"}").normalize("ﬁ①")).isEqualTo("fi1");
        assertThat(read("{\"type\":\"NFC\"}").normalize("e\u0301")).isEqualTo("é");
        assertThat(read("{\"type\":\"NFD\"}").normalize("é")).isEqualTo("e\u0301");
        // Per character, like Rust: a final capital sigma becomes σ (Java's toLowerCase would give ς), İ becomes i + U+0307.
        assertThat(read("{\"type\":\"Lowercase\"}").normalize("ΣΑΣ İ")).isEqualTo("σασ i\u0307");
        assertThat(read("{\"type\":\"Strip\",\"strip_left\":true,\"strip_right\":false}").normalize("\u3000 a \n")).isEqualTo("a \n");
        assertThat(read("{\"type\":\"Replace\",\"pattern\":{\"Regex\":\" {2,}\"},\"content\":\" \"}").normalize("a   b  c d"))
                .isEqualTo("a b c d");
        assertThat(read("{\"type\":\"Replace\",\"pattern\":{\"String\":\".\"},\"content\":\"$1\"}").normalize("a.b")).isEqualTo("a$1b");
        assertThat(read("{\"type\":\"Prepend\",\"prepend\":\"▁\"}").normalize("")).isEmpty();
        assertThat(read("{\"type\":\"Sequence\",\"normalizers\":[{\"type\":\"NFKD\"},{\"type\":\"Lowercase\"}]}").normalize("Ⅻ"))
                .isEqualTo("xii");
        assertThat(read("null").normalize("As Is")).isEqualTo("As Is");
    }

    @Test
    void bertNormalizerStepsInHuggingFacesOrder() throws Exception {
        Normalizer all = read("{\"type\":\"BertNormalizer\",\"clean_text\":true,\"handle_chinese_chars\":true,"
                + "\"strip_accents\":null,\"lowercase\":true}");
        // U+00A0 and U+2028 are whitespace (a space), U+200B (Cf) and U+FFFD are dropped, Ñ loses its tilde.
        assertThat(all.normalize("Ñu\u00A0x\u2028y\u200B\uFFFDz中")).isEqualTo("nu x yz 中 ");
        Normalizer nothing = read("{\"type\":\"BertNormalizer\",\"clean_text\":false,\"handle_chinese_chars\":false,"
                + "\"strip_accents\":null,\"lowercase\":false}");
        assertThat(nothing.normalize("Ñ\u200B中")).isEqualTo("Ñ\u200B中");
    }
}
