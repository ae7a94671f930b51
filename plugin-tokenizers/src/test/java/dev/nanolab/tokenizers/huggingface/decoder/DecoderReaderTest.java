package dev.nanolab.tokenizers.huggingface.decoder;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nanolab.tokenizers.huggingface.pipeline.HfNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class DecoderReaderTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<String> decode(String json, String... tokens) throws Exception {
        return DecoderReader.read(HfNode.root("t.json", JSON.readTree(json))).decodeChain(List.of(tokens));
    }

    @Test
    void eachDecoderOnTheTokenList() throws Exception {
        assertThat(decode("{\"type\":\"ByteFallback\"}", "a", "<0xE2>", "<0x82>", "<0xac>", "<0xZZ>", "<0x١٢>", "<0xFF>"))
                .containsExactly("a", "€", "<0xZZ>", "<0x١٢>", "\uFFFD");
        assertThat(decode("{\"type\":\"Fuse\"}", "a", "b", "c")).containsExactly("abc");
        // Strip works on every token.
        assertThat(decode("{\"type\":\"Strip\",\"content\":\" \",\"start\":1,\"stop\":1}", "  a  ", " b", "c")).containsExactly(" a ", "b", "c");
        assertThat(decode("{\"type\":\"WordPiece\",\"prefix\":\"##\",\"cleanup\":false}", "##a", "##b", "c", " ,"))
                .containsExactly("##a", "b", " c", "  ,");
        assertThat(decode("{\"type\":\"WordPiece\",\"prefix\":\"##\",\"cleanup\":true}", "do", "n't", "do", "not", "!"))
                .containsExactly("do", "n't", " do", " not", "!"); // per token: " do not" spans two, so it stays
        // HuggingFace's Metaspace decoder drops every ▁ of the first token, not only the leading one.
        assertThat(decode("{\"type\":\"Metaspace\",\"replacement\":\"▁\",\"prepend_scheme\":\"always\",\"split\":true}", "▁a▁b", "▁c"))
                .containsExactly("ab", " c");
        assertThat(decode("{\"type\":\"Metaspace\",\"replacement\":\"▁\",\"prepend_scheme\":\"never\",\"split\":true}", "▁a", "▁c"))
                .containsExactly(" a", " c");
        assertThat(decode("null", "a", "b")).containsExactly("a b");
    }
}
