package dev.nanolab.tokenizers.huggingface;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nanolab.api.tokenizer.Tokenizer;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * BERT's layout (HfFiles.bert). Ids: [PAD] 0, [UNK] 1, [CLS] 2, [SEP] 3, un 4, ##aff 5, ##able 6, the 7, cafe 8,
 * ! 9, ##s 10, a 11, ##a 12, 中 13, "," 14, . 15.
 */
class WordPieceFileTest {
    private static final Tokenizer BERT = HfFiles.load(HfFiles.bert());

    @Test
    void greedyLongestMatchWithTheContinuingPrefix() {
        assertThat(BERT.vocabSize()).isEqualTo(16);
        // un + ##aff + ##able: the longest token at each point, ## after the first.
        assertThat(BERT.encode("unaffable")).containsExactly(4, 5, 6);
        assertThat(BERT.encode("aa")).containsExactly(11, 12);
        assertThat(BERT.encode("the cafes!")).containsExactly(7, 8, 10, 9);
    }

    @Test
    void aWordThatCannotBeSpelledToItsEndOrIsTooLongIsOneUnk() {
        assertThat(BERT.encode("xyz")).containsExactly(1);
        // "a" is a token but "##b" is not: the whole word is [UNK], not a + [UNK].
        assertThat(BERT.encode("ab the")).containsExactly(1, 7);
        // max_input_chars_per_word is 9: "unaffable" has 9 characters, "unaffables" 10.
        assertThat(BERT.encode("unaffables")).containsExactly(1);
        assertThat(BERT.encode("unaffable unaffables a")).containsExactly(4, 5, 6, 1, 11);
    }

    @Test
    void bertNormalizerLowercasesStripsAccentsCleansAndSpacesOutChinese() {
        assertThat(BERT.encode("THE Café")).containsExactly(7, 8);
        assertThat(BERT.encode("CAFÉS!")).containsExactly(8, 10, 9);
        // clean_text: U+0000 and the control U+0007 go, a tab is a space.
        assertThat(BERT.encode("the\u0000\u0007\tthe")).containsExactly(7, 7);
        // handle_chinese_chars: each ideograph is a word of its own.
        assertThat(BERT.encode("中中the")).containsExactly(13, 13, 7);
        // BertPreTokenizer: punctuation is split off, whitespace dropped.
        assertThat(BERT.encode("the,the.")).containsExactly(7, 14, 7, 15);
    }

    @Test
    void stripAccentsAndLowercaseCanBeTurnedOff() {
        ObjectNode keepAccents = HfFiles.bert();
        ((ObjectNode) keepAccents.get("normalizer")).put("strip_accents", false);
        assertThat(HfFiles.load(keepAccents).encode("Café the")).containsExactly(1, 7);
        ObjectNode cased = HfFiles.bert();
        ((ObjectNode) cased.get("normalizer")).put("lowercase", false);
        // strip_accents null follows lowercase: neither is done.
        assertThat(HfFiles.load(cased).encode("The the café")).containsExactly(1, 7, 1);
    }

    @Test
    void specialTokensOnlyWhereAllowed() {
        // Ordinary text: [CLS] is "[" "cls" "]", none of them a token.
        assertThat(BERT.encode("[CLS] the")).containsExactly(1, 1, 1, 7);
        assertThat(BERT.encode("[CLS] the[SEP]", Set.of("[CLS]", "[SEP]"))).containsExactly(2, 7, 3);
        assertThat(BERT.specialToken("[SEP]")).hasValue(3);
    }

    @Test
    void decodingJoinsSubwordsAndCleansUpSpacesBeforePunctuation() {
        assertThat(BERT.decode(new int[] {2, 7, 8, 10, 9})).isEqualTo("[CLS] the cafes!");
        assertThat(BERT.decode(new int[] {4, 5, 6, 14, 7, 15})).isEqualTo("unaffable, the.");
        for (String s : new String[] {"the cafes!", "unaffable, the.", "aa a", "中 the", ""})
            assertThat(BERT.decode(BERT.encode(s))).isEqualTo(s);
    }
}
