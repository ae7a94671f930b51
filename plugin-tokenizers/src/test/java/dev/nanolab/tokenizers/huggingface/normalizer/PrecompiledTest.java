package dev.nanolab.tokenizers.huggingface.normalizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nanolab.tokenizers.huggingface.pipeline.HfNode;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrecompiledTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Normalizer read(String charsmap) {
        ObjectNode node = JSON.createObjectNode().put("type", "Precompiled").put("precompiled_charsmap", charsmap);
        return NormalizerReader.read(HfNode.root("t.json", node));
    }

    @Test
    void replacesByTheCharsmapAsHuggingFaceDoes() {
        Normalizer n = read(CharsMaps.base64(Map.of(
                "ﬁ", "fi", "Ａ", "A", "\u3000", " ", "x", "y", "ab", "Z", "a", "@")));
        assertThat(n.normalize("ﬁＡ\u3000q")).isEqualTo("fiA q");
        // The shortest prefix in the trie wins: "a" before "ab".
        assertThat(n.normalize("ab")).isEqualTo("@b");
        // A grapheme of under 6 bytes is replaced whole by its prefix's replacement: x + U+0301 becomes y (HuggingFace's
        // quirk); one of 6 bytes or more goes character by character, so its combining mark stays.
        assertThat(n.normalize("x\u0301")).isEqualTo("y");
        assertThat(n.normalize("x\u0301\u0301")).isEqualTo("y"); // 5 bytes
        assertThat(n.normalize("x\u0301\u0301\u0301")).isEqualTo("y\u0301\u0301\u0301"); // 7 bytes
        assertThat(n.normalize("")).isEmpty();
        assertThat(n.normalize("😀é")).isEqualTo("😀é");
    }

    @Test
    void aBrokenCharsmapIsRefusedNamingThePath() {
        assertThatThrownBy(() -> read("not base64!")).hasMessageStartingWith("t.json: precompiled_charsmap: is not base64");
        assertThatThrownBy(() -> read("AAAAAA==")).hasMessage(
                "t.json: precompiled_charsmap: is not a charsmap: its trie size 0 does not fit its 4 bytes");
    }
}
