package dev.nanolab.tokenizers.bytes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanolab.api.data.TextCorpus;
import dev.nanolab.api.tokenizer.Tokenizer;
import dev.nanolab.tokenizers.LoneSurrogateTexts;
import dev.nanolab.tokenizers.ValidTexts;
import dev.nanolab.tokenizers.codec.Utf8;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class ByteTokenizerTest {
    private final Tokenizer bytes = new ByteTokenizerFactory().train(TextCorpus.of("unused"));

    @Property(tries = 300)
    void everyValidStringRoundTrips(@ForAll @From(supplier = ValidTexts.class) String text) {
        int[] ids = bytes.encode(text);
        assertThat(ids).hasSize(text.getBytes(StandardCharsets.UTF_8).length);
        assertThat(bytes.decode(ids)).isEqualTo(text);
    }

    @Property(tries = 200)
    void loneSurrogatesComeBackAsReplacementCharacters(@ForAll @From(supplier = LoneSurrogateTexts.class) String text) {
        assertThat(bytes.decode(bytes.encode(text))).isEqualTo(Utf8.withoutLoneSurrogates(text));
    }

    @Test
    void idsAreTheUtf8Bytes() {
        assertThat(bytes.vocabSize()).isEqualTo(256);
        assertThat(bytes.encode("aé€👍")).containsExactly(0x61, 0xC3, 0xA9, 0xE2, 0x82, 0xAC, 0xF0, 0x9F, 0x91, 0x8D);
        assertThat(bytes.encode("")).isEmpty();
        assertThat(bytes.encode("\uD800")).containsExactly(0xEF, 0xBF, 0xBD);
        assertThat(bytes.decode(new int[] {0xF0, 0x9F, 0x91, 0x8D}, 0, 2)).isEqualTo("\uFFFD");
    }

    @Test
    void decodingAnIdOutsideTheVocabularyNamesItAndItsPosition() {
        assertThatThrownBy(() -> bytes.decode(new int[] {97, 98, 256}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("byte: token id 256 at position 2 is outside the vocabulary [0, 256)");
        assertThatThrownBy(() -> bytes.decode(new int[] {-1})).hasMessageContaining("token id -1 at position 0");
    }

    @Test
    void hasNoSpecialTokens() {
        assertThat(bytes.specialToken("<|endoftext|>")).isEmpty();
        assertThatThrownBy(() -> bytes.encode("x", Set.of("<|endoftext|>")))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void stateLoadsBackAndOtherStatesAreRefused() {
        ByteTokenizerFactory factory = new ByteTokenizerFactory();
        assertThat(factory.trainable()).isFalse();
        assertThat(new String(bytes.state(), StandardCharsets.UTF_8)).contains("\"format\" : \"nanolab-byte\"");
        assertThat(factory.load(bytes.state()).fingerprint()).isEqualTo(bytes.fingerprint());
        assertThatThrownBy(() -> factory.load("{\"format\": \"nanolab-char\", \"version\": 1}".getBytes()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("nanolab-byte state: the format field is 'nanolab-char', not 'nanolab-byte'");
        assertThatThrownBy(() -> factory.load("{\"format\": \"nanolab-byte\", \"version\": 7}".getBytes()))
                .hasMessage("nanolab-byte state: version 7 is not supported (only 1)");
    }
}
