package dev.nanolab.tokenizers.huggingface;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nanolab.api.tokenizer.Tokenizer;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * T5's layout (HfFiles.t5). Ids and scores: <pad> 0, </s> 1, <unk> 2 (0.0 each), ▁ 3 (-2), ▁a 4 (-3), b 5 (-4),
 * ▁ab 6 (-8), a 7 (-2.5), ab 8 (-3), c 9 (-5), <0x78> 10 (-10), <0x79> 11 (-10). The lowest score is -10, so an
 * unknown character scores -20.
 */
class UnigramFileTest {
    private static final Tokenizer T5 = HfFiles.load(HfFiles.t5());

    @Test
    void viterbiChoosesTheBestScoringSegmentationNotTheLongestToken() {
        // "▁ab": ▁ab = -8, ▁a + b = -7, ▁ + a + b = -8.5, ▁ + ab = -5 (best).
        assertThat(T5.encode("ab")).containsExactly(3, 8);
        // "▁abc": ▁ + ab + c = -10.
        assertThat(T5.encode("abc")).containsExactly(3, 8, 9);
        // "▁a": ▁a = -3 beats ▁ + a = -4.5.
        assertThat(T5.encode("a")).containsExactly(4);
    }

    @Test
    void metaspaceSplitsWordsAndPrependsByScheme() {
        assertThat(T5.encode("ab ab")).containsExactly(3, 8, 3, 8);
        // Two spaces: "▁ab", "▁", "▁a"; the lone ▁ is its own piece.
        assertThat(T5.encode("ab  a")).containsExactly(3, 8, 3, 4);
        ObjectNode never = HfFiles.t5();
        ((ObjectNode) never.get("pre_tokenizer")).remove("prepend_scheme");
        ((ObjectNode) never.get("pre_tokenizer")).put("add_prefix_space", false); // the older spelling of "never"
        // "ab" without ▁: ab = -3 beats a + b = -6.5.
        assertThat(HfFiles.load(never).encode("ab")).containsExactly(8);
        ObjectNode first = HfFiles.t5();
        ((ObjectNode) first.get("pre_tokenizer")).put("prepend_scheme", "first");
        assertThat(HfFiles.load(first).encode("</s>ab", Set.of("</s>"))).containsExactly(1, 8);
        assertThat(HfFiles.load(first).encode("ab</s>ab", Set.of("</s>"))).containsExactly(3, 8, 1, 8);
    }

    @Test
    void t5sOwnLayoutWithAPrecompiledNormalizerAndWhitespaceSplitThenMetaspace() {
        ObjectNode json = HfFiles.t5();
        json.putObject("normalizer").put("type", "Precompiled").put("precompiled_charsmap",
                dev.nanolab.tokenizers.huggingface.normalizer.CharsMaps.base64(java.util.Map.of("Ａ", "a", "\u3000", " ")));
        com.fasterxml.jackson.databind.node.ArrayNode steps = json.putObject("pre_tokenizer").put("type", "Sequence").putArray("pretokenizers");
        steps.addObject().put("type", "WhitespaceSplit");
        steps.addObject().put("type", "Metaspace").put("replacement", "▁").put("add_prefix_space", true);
        Tokenizer t5 = HfFiles.load(json);
        // Fullwidth Ａ becomes a, the ideographic space a space; WhitespaceSplit drops the spaces, Metaspace prefixes each word.
        assertThat(t5.encode("Ａb\u3000 ab")).containsExactly(3, 8, 3, 8);
        assertThat(t5.decode(t5.encode("ab ab"))).isEqualTo("ab ab");
    }

    @Test
    void unknownCharactersAreFusedIntoOneUnkOrWrittenAsBytes() {
        // "▁ax": ▁a + unk = -23 beats ▁ + a + unk = -24.5.
        assertThat(T5.encode("ax")).containsExactly(4, 2);
        assertThat(T5.encode("axy")).containsExactly(4, 2);
        ObjectNode bytes = HfFiles.t5();
        ((ObjectNode) bytes.get("model")).put("byte_fallback", true);
        Tokenizer fallback = HfFiles.load(bytes);
        assertThat(fallback.encode("axy")).containsExactly(4, 10, 11);
        // € has no byte tokens here: the fused unknown "x€" falls back to <unk>.
        assertThat(fallback.encode("ax€")).containsExactly(4, 2);
    }

    @Test
    void specialPiecesAreNeverMatchedInOrdinaryText() {
        // "</s>" is a piece, but a special one: in ordinary text its characters are unknown (fused into one unk).
        assertThat(T5.encode("</s>")).containsExactly(3, 2);
        assertThat(T5.encode("ab</s>", Set.of("</s>"))).containsExactly(3, 8, 1);
    }

    @Test
    void decodingTurnsMetaspaceIntoSpacesAndDropsThePrefix() {
        assertThat(T5.decode(new int[] {3, 8, 3, 8})).isEqualTo("ab ab");
        assertThat(T5.decode(new int[] {4, 5, 1})).isEqualTo("ab</s>");
        for (String s : new String[] {"ab ab", "a  b c", "cab", ""})
            assertThat(T5.decode(T5.encode(s))).as(s).isEqualTo(s);
    }
}
