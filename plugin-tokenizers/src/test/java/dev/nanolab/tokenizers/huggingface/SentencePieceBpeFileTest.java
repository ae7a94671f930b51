package dev.nanolab.tokenizers.huggingface;

import static dev.nanolab.tokenizers.huggingface.HfFiles.llama;
import static dev.nanolab.tokenizers.huggingface.HfFiles.llamaByte;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nanolab.api.tokenizer.Tokenizer;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Llama's layout (HfFiles.llama): BPE over characters with byte fallback; <unk> 0, <s> 1, </s> 2, <0xNN> 3 + NN. */
class SentencePieceBpeFileTest {
    private static final Tokenizer LLAMA = HfFiles.load(HfFiles.llama());

    @Test
    void mergesApplyByRankOverTheWholeTextWithSpacesAsMetaspace() {
        assertThat(LLAMA.vocabSize()).isEqualTo(274);
        // "▁hello▁world": ▁h (rank 0), ll (1), ▁he (2), llo (3), ▁hello (4); then or (5), ▁w (6); l and d stay.
        assertThat(LLAMA.encode("hello world")).containsExactly(
                llama("▁hello"), llama("▁w"), llama("or"), llama("l"), llama("d"));
        // "▁hel": ▁h (rank 0), then ▁he (rank 2); no merge takes ▁he and l.
        assertThat(LLAMA.encode("hel")).containsExactly(llama("▁he"), llama("l"));
        assertThat(LLAMA.encode("")).isEmpty();
    }

    @Test
    void aLowerRankOnTheRightWinsOverAnOverlappingPairOnTheLeft() {
        ObjectNode json = HfFiles.llama();
        ((ObjectNode) json.get("model").get("vocab")).put("wo", 274);
        ((com.fasterxml.jackson.databind.node.ArrayNode) json.get("model").get("merges")).add("w o"); // rank 7
        // "▁hwor": ▁h (rank 0), then o r (rank 5) before w o (rank 7), which is then gone.
        assertThat(HfFiles.load(json).encode("hwor")).containsExactly(llama("▁h"), llama("w"), llama("or"));
        assertThat(HfFiles.load(json).encode("hwo")).containsExactly(llama("▁h"), 274);
    }

    @Test
    void aCharacterOutsideTheVocabularyBecomesTheByteTokensOfItsUtf8() {
        // é is C3 A9, € is E2 82 AC, a newline 0A.
        assertThat(LLAMA.encode("hé")).containsExactly(llama("▁h"), llamaByte(0xC3), llamaByte(0xA9));
        assertThat(LLAMA.encode("h\nh€")).containsExactly(
                llama("▁h"), llamaByte(0x0A), llama("h"), llamaByte(0xE2), llamaByte(0x82), llamaByte(0xAC));
        assertThat(LLAMA.encode("😀")).containsExactly(llama("▁"), llamaByte(0xF0), llamaByte(0x9F), llamaByte(0x98), llamaByte(0x80));
    }

    @Test
    void byteFallbackTokensSpellTheirByte() {
        // tokenBytes (what mot spells a token with): a byte token that is part of a character is that byte; a whole one
        // or an ordinary piece is its decoding's UTF-8.
        assertThat(LLAMA.tokenBytes(llamaByte(0xC3))).containsExactly((byte) 0xC3);
        assertThat(LLAMA.tokenBytes(llamaByte(0xE2))).containsExactly((byte) 0xE2);
        assertThat(LLAMA.tokenBytes(llamaByte(0x0A))).containsExactly((byte) 0x0A);
        assertThat(LLAMA.tokenBytes(llama("or"))).isEqualTo("or".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        java.io.ByteArrayOutputStream joined = new java.io.ByteArrayOutputStream();
        for (int id : LLAMA.encode("h\nh€😀")) joined.writeBytes(LLAMA.tokenBytes(id));
        // The first token is ▁h, whose leading space the decoder strips ("h" alone).
        assertThat(joined.toString(java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("h\nh€😀");
    }

    @Test
    void withoutByteFallbackUnknownCharactersAreUnkFusedOrNot() {
        ObjectNode json = HfFiles.llama();
        ((ObjectNode) json.get("model")).put("byte_fallback", false);
        assertThat(HfFiles.load(json).encode("héé h")).containsExactly(llama("▁h"), 0, llama("▁h"));
        ((ObjectNode) json.get("model")).put("fuse_unk", false);
        assertThat(HfFiles.load(json).encode("héé h")).containsExactly(llama("▁h"), 0, 0, llama("▁h"));
    }

    @Test
    void decodingReplacesMetaspaceJoinsBytesAndStripsThePrependedSpace() {
        int[] helloWorld = {llama("▁hello"), llama("▁w"), llama("or"), llama("l"), llama("d")};
        assertThat(LLAMA.decode(helloWorld)).isEqualTo("hello world");
        assertThat(LLAMA.decode(new int[] {llama("▁h"), llamaByte(0xC3), llamaByte(0xA9)})).isEqualTo("hé");
        // A byte run that is not UTF-8 gives one U+FFFD per byte.
        assertThat(LLAMA.decode(new int[] {llama("h"), llamaByte(0xC3), llamaByte(0xC3)})).isEqualTo("h\uFFFD\uFFFD");
        for (String s : new String[] {"hello world", " two  spaces ", "héllo\n€😀", "<s>", ""})
            assertThat(LLAMA.decode(LLAMA.encode(s))).as(s).isEqualTo(s);
    }

    @Test
    void specialTokensOnlyWhereAllowed() {
        assertThat(LLAMA.encode("<s>hello", Set.of("<s>"))).startsWith(1);
        assertThat(LLAMA.encode("<s>")).doesNotContain(1).startsWith(llama("▁"), llamaByte('<'));
    }

    @Test
    void metaspacePreTokenizerPrependsOnlyAtTheStartWithSchemeFirst() {
        Tokenizer first = HfFiles.load(HfFiles.llamaMetaspace("first"));
        assertThat(first.encode("hello")).containsExactly(llama("▁hello"));
        // After an allowed special token the text does not start at offset 0: no ▁ is put before it.
        assertThat(first.encode("<s>hello", Set.of("<s>"))).containsExactly(1, llama("h"), llama("e"), llama("llo"));
        Tokenizer always = HfFiles.load(HfFiles.llamaMetaspace("always"));
        assertThat(always.encode("<s>hello", Set.of("<s>"))).containsExactly(1, llama("▁hello"));
        Tokenizer never = HfFiles.load(HfFiles.llamaMetaspace("never"));
        assertThat(never.encode("hello")).containsExactly(llama("h"), llama("e"), llama("llo"));
    }

    @Test
    void ignoreMergesTakesAPieceThatIsAToken() {
        ObjectNode json = HfFiles.llama();
        ObjectNode model = (ObjectNode) json.get("model");
        ((ObjectNode) model.get("vocab")).put("▁hel", 274);
        assertThat(HfFiles.load(json).encode("hel")).containsExactly(llama("▁he"), llama("l"));
        model.put("ignore_merges", true);
        assertThat(HfFiles.load(json).encode("hel")).containsExactly(274);
    }
}
