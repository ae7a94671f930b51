package dev.nanolab.tokenizers.huggingface.pretokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nanolab.tokenizers.huggingface.pipeline.HfNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PreTokenizerReaderTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<String> split(String json, String text) throws Exception {
        List<String> pieces = new ArrayList<>();
        PreTokenizerReader.read(HfNode.root("t.json", JSON.readTree(json))).split(text, true, (p, atStart) -> pieces.add(p));
        return pieces;
    }

    @Test
    void bertWhitespaceAndPunctuation() throws Exception {
        assertThat(split("{\"type\":\"BertPreTokenizer\"}", " Hey,\u00A0you!! $5 ")).containsExactly("Hey", ",", "you", "!", "!", "$", "5");
        assertThat(split("{\"type\":\"WhitespaceSplit\"}", " Hey,\u2003you!! ")).containsExactly("Hey,", "you!!");
        assertThat(split("{\"type\":\"Whitespace\"}", "Hey, friend!!  ok_1")).containsExactly("Hey", ",", "friend", "!!", "ok_1");
        assertThat(split("{\"type\":\"Punctuation\",\"behavior\":\"MergedWithPrevious\"}", "a,b!?")).containsExactly("a,", "b!", "?");
        assertThat(split("{\"type\":\"Punctuation\"}", "a,b")).containsExactly("a", ",", "b");
    }

    @Test
    void digitsAndSplitBehaviours() throws Exception {
        assertThat(split("{\"type\":\"Digits\",\"individual_digits\":false}", "a123b45")).containsExactly("a", "123", "b", "45");
        assertThat(split("{\"type\":\"Digits\",\"individual_digits\":true}", "a12")).containsExactly("a", "1", "2");
        String split = "{\"type\":\"Split\",\"pattern\":{\"String\":\"-\"},\"behavior\":\"%s\",\"invert\":false}";
        assertThat(split(split.formatted("Removed"), "a-b--c")).containsExactly("a", "b", "c");
        assertThat(split(split.formatted("Isolated"), "a-b--c")).containsExactly("a", "-", "b", "-", "-", "c");
        assertThat(split(split.formatted("MergedWithPrevious"), "a-b--c")).containsExactly("a-", "b-", "-", "c");
        assertThat(split(split.formatted("MergedWithNext"), "a-b--c")).containsExactly("a", "-b", "-", "-c");
        assertThat(split(split.formatted("Contiguous"), "a-b--c")).containsExactly("a", "-", "b", "--", "c");
        assertThat(split("{\"type\":\"Split\",\"pattern\":{\"Regex\":\"\\\\d+\"},\"behavior\":\"Removed\",\"invert\":true}", "a12b3"))
                .containsExactly("12", "3");
    }

    @Test
    void metaspaceReplacesPrependsAndSplits() throws Exception {
        String metaspace = "{\"type\":\"Metaspace\",\"replacement\":\"▁\",\"prepend_scheme\":\"%s\",\"split\":%s}";
        assertThat(split(metaspace.formatted("always", true), "Hey  friend!")).containsExactly("▁Hey", "▁", "▁friend!");
        assertThat(split(metaspace.formatted("always", false), "Hey  friend!")).containsExactly("▁Hey▁▁friend!");
        assertThat(split(metaspace.formatted("never", true), "Hey friend")).containsExactly("Hey", "▁friend");
        assertThat(split(metaspace.formatted("always", true), " Hey")).containsExactly("▁Hey");
        // Older files: add_prefix_space instead of prepend_scheme.
        assertThat(split("{\"type\":\"Metaspace\",\"replacement\":\"▁\",\"add_prefix_space\":true,\"str_rep\":\"▁\"}", "a b"))
                .containsExactly("▁a", "▁b");
        // A Sequence hands atStart only to the first piece: with "first", only it gets a ▁.
        String sequence = "{\"type\":\"Sequence\",\"pretokenizers\":[{\"type\":\"Digits\",\"individual_digits\":true},"
                + metaspace.formatted("first", true) + "]}";
        assertThat(split(sequence, "a1b")).containsExactly("▁a", "1", "b");
    }
}
