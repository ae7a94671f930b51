package dev.nanolab.tokenizers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolab.api.data.TextCorpus;
import dev.nanolab.api.tokenizer.Tokenizer;
import dev.nanolab.tokenizers.bpe.BpeConfig;
import dev.nanolab.tokenizers.bpe.BpeTokenizerFactory;
import dev.nanolab.tokenizers.bytes.ByteTokenizerFactory;
import dev.nanolab.tokenizers.chars.CharConfig;
import dev.nanolab.tokenizers.chars.CharTokenizerFactory;
import dev.nanolab.tokenizers.tiktoken.TiktokenEncoding;
import dev.nanolab.tokenizers.tiktoken.TiktokenTokenizerFactory;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Tokenizer#tokenBytes}, what the mixture-of-tokenizers embedding spells each token with: a token's bytes are
 * its own decoding's UTF-8, and for byte-level tokenizers a sequence's token bytes joined are exactly the text's UTF-8,
 * also where a token holds only part of a multi-byte character.
 */
class TokenBytesTest {
    private static final String TEXT = "héllo wörld, naïve café — €5 😀 日本語のテキスト\n\tfor (int i = 0; i < n; i++) {}";

    private static List<Tokenizer> byteLevel() {
        TextCorpus corpus = TextCorpus.of("mixed", TestCorpora.varied(5, 60_000), TEXT.repeat(20));
        return List.of(new BpeTokenizerFactory(new BpeConfig().withVocabSize(700)).train(corpus),
                new TiktokenTokenizerFactory(TiktokenEncoding.GPT2).train(TextCorpus.of("unused")),
                new ByteTokenizerFactory().train(TextCorpus.of("unused")),
                // Code points: a UTF-16 unit of a surrogate pair (the default unit) has no UTF-8 of its own.
                new CharTokenizerFactory(new CharConfig(CharConfig.Unit.CODE_POINT, 1, 1, CharConfig.Unknown.UNK, "<?>"))
                        .train(TextCorpus.of("chars", TEXT)));
    }

    @Test
    void joinedTokenBytesAreTheTextsUtf8() {
        for (Tokenizer tok : byteLevel()) {
            int[] ids = tok.encode(TEXT);
            ByteArrayOutputStream joined = new ByteArrayOutputStream();
            for (int id : ids) joined.writeBytes(tok.tokenBytes(id));
            assertThat(joined.toByteArray()).as(tok.name()).isEqualTo(TEXT.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void eachTokensBytesAreItsDecodingUnlessItHoldsPartOfACharacter() {
        for (Tokenizer tok : byteLevel()) {
            int partial = 0;
            for (int id = 0; id < Math.min(tok.vocabSize(), 5000); id++) {
                String alone = tok.decode(new int[] {id});
                if (alone.contains("\uFFFD")) {
                    partial++;
                    // Part of a character: valid bytes, but not a whole UTF-8 sequence.
                    assertThat(tok.tokenBytes(id)).as("%s id %d", tok.name(), id).isNotEmpty();
                    continue;
                }
                assertThat(tok.tokenBytes(id)).as("%s id %d (%s)", tok.name(), id, alone).isEqualTo(alone.getBytes(StandardCharsets.UTF_8));
            }
            if (!tok.name().startsWith("char")) assertThat(partial).as("%s has partial-character tokens", tok.name()).isPositive();
        }
    }
}
