package dev.nanolab.tokenizers.chars;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanolab.api.config.ConfigException;
import dev.nanolab.api.data.TextCorpus;
import dev.nanolab.tokenizers.LoneSurrogateTexts;
import dev.nanolab.tokenizers.ValidTexts;
import dev.nanolab.tokenizers.chars.CharConfig.Unit;
import dev.nanolab.tokenizers.chars.CharConfig.Unknown;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class CharTokenizerTest {
    private static CharTokenizer train(CharConfig config, String... texts) {
        return new CharTokenizerFactory(config).train(TextCorpus.of("test", texts));
    }

    private static CharConfig config(Unit unit, double coverage, int minFrequency, Unknown unknown) {
        return new CharConfig(unit, coverage, minFrequency, unknown, "<unk>");
    }

    @Test
    void vocabularyIsTheSortedSetOfCharactersLikeNanoGpt() {
        // nanoGPT: chars = sorted(list(set(data))); stoi = {ch: i for i, ch in enumerate(chars)}
        CharTokenizer chars = train(new CharConfig(), "hello world\n", "hold");
        assertThat(chars.vocabSize()).isEqualTo(9);
        assertThat(chars.symbols()).containsExactly('\n', ' ', 'd', 'e', 'h', 'l', 'o', 'r', 'w');
        assertThat(chars.encode("hello")).containsExactly(4, 3, 5, 5, 6);
        assertThat(chars.decode(new int[] {8, 6, 7, 5, 2})).isEqualTo("world");
    }

    @Test
    void codePointModeCountsAnEmojiOnceAndCharModeTwice() {
        CharTokenizer units = train(new CharConfig(), "a👍");
        CharTokenizer points = train(config(Unit.CODE_POINT, 1, 1, Unknown.ERROR), "a👍");
        assertThat(units.vocabSize()).isEqualTo(3);
        assertThat(units.encode("👍a")).containsExactly(1, 2, 0);
        assertThat(points.vocabSize()).isEqualTo(2);
        assertThat(points.encode("👍a")).containsExactly(1, 0);
        assertThat(points.decode(points.encode("a👍👍"))).isEqualTo("a👍👍");
    }

    @Property(tries = 300)
    void textRoundTripsWhenTrainedOnIt(@ForAll @From(supplier = ValidTexts.class) String text) {
        for (Unit unit : Unit.values()) {
            CharTokenizer chars = train(config(unit, 1, 1, Unknown.ERROR), text, "x");
            int[] ids = chars.encode(text);
            assertThat(ids).hasSize(unit == Unit.CHAR ? text.length() : text.codePointCount(0, text.length()));
            assertThat(chars.decode(ids)).isEqualTo(text);
        }
    }

    @Property(tries = 200)
    void loneSurrogatesAreOrdinarySymbolsAndRoundTripExactly(@ForAll @From(supplier = LoneSurrogateTexts.class) String text) {
        for (Unit unit : Unit.values()) {
            CharTokenizer chars = train(config(unit, 1, 1, Unknown.ERROR), text);
            assertThat(chars.decode(chars.encode(text))).isEqualTo(text);
        }
    }

    @Test
    void anUnseenCharacterIsAnErrorNamingItAndItsPosition() {
        CharTokenizer chars = train(new CharConfig(), "abc");
        assertThatThrownBy(() -> chars.encode("abcé"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("char: character U+00E9 'é' at index 3 is not in the vocabulary of 3 characters");
        assertThatThrownBy(() -> chars.encode("a\tb"))
                .hasMessage("char: character U+0009 at index 1 is not in the vocabulary of 3 characters");
        CharTokenizer points = train(config(Unit.CODE_POINT, 1, 1, Unknown.ERROR), "abc");
        assertThatThrownBy(() -> points.encode("ab👍"))
                .hasMessage("char: character U+1F44D '👍' at index 2 is not in the vocabulary of 3 characters");
        assertThatThrownBy(() -> chars.encode("a\uD800"))
                .hasMessage("char: character U+D800 (a surrogate) at index 1 is not in the vocabulary of 3 characters");
    }

    @Test
    void withUnkAnUnseenCharacterIsTheLastIdAndDecodesToTheUnkToken() {
        CharTokenizer chars = new CharTokenizerFactory(new CharConfig(Unit.CHAR, 1, 1, Unknown.UNK, "<?>"))
                .train(TextCorpus.of("t", "abc"));
        assertThat(chars.vocabSize()).isEqualTo(4);
        assertThat(chars.encode("aéc")).containsExactly(0, 3, 2);
        assertThat(chars.decode(new int[] {0, 3, 2})).isEqualTo("a<?>c");
    }

    @Test
    void coverageAndMinFrequencyLeaveRareCharactersOut() {
        String text = "a".repeat(500) + "b".repeat(300) + "c".repeat(199) + "é";
        // 1000 characters: a+b+c cover 999, so 99.9% coverage keeps them and drops é.
        CharTokenizer covered = train(config(Unit.CHAR, 0.999, 1, Unknown.UNK), text);
        assertThat(covered.symbols()).containsExactly('a', 'b', 'c');
        assertThat(covered.encode("é")).containsExactly(3);
        CharTokenizer frequent = train(config(Unit.CHAR, 1, 200, Unknown.UNK), text);
        assertThat(frequent.symbols()).containsExactly('a', 'b');
        CharTokenizer all = train(config(Unit.CHAR, 1, 1, Unknown.UNK), text);
        assertThat(all.symbols()).containsExactly('a', 'b', 'c', 'é');
    }

    @Test
    void droppingCharactersWithoutUnkIsRefusedAsAConfig() {
        assertThatThrownBy(() -> config(Unit.CHAR, 0.99, 1, Unknown.ERROR))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("unknown: coverage < 1 or min_frequency > 1");
        assertThatThrownBy(() -> config(Unit.CHAR, 0, 1, Unknown.UNK)).hasMessageStartingWith("coverage:");
    }

    @Test
    void anEmptyCorpusIsAnError() {
        assertThatThrownBy(() -> train(new CharConfig(), "", ""))
                .hasMessage("char: corpus 'test' has no characters");
    }

    @Test
    void stateRebuildsTheSameTokenizer() {
        CharTokenizerFactory factory = new CharTokenizerFactory(config(Unit.CODE_POINT, 1, 1, Unknown.UNK));
        CharTokenizer chars = factory.train(TextCorpus.of("t", "Hello, 世界 👋\n\uD800"));
        var loaded = factory.load(chars.state());
        assertThat(loaded.state()).isEqualTo(chars.state());
        assertThat(loaded.fingerprint()).isEqualTo(chars.fingerprint());
        assertThat(loaded.encode("世界 👋 x")).containsExactly(chars.encode("世界 👋 x"));
        assertThat(new String(chars.state(), StandardCharsets.UTF_8))
                .contains("\"unit\" : \"CODE_POINT\"", "\"unknown\" : \"UNK\"", "\"unk_token\" : \"<unk>\"");
    }

    @Test
    void corruptStatesAreRefusedWithOneLine() {
        CharTokenizerFactory factory = new CharTokenizerFactory(new CharConfig());
        assertThatThrownBy(() -> factory.load("{\"format\":\"nanolab-char\",\"version\":1,\"unit\":\"CHAR\",\"symbols\":[98,97],\"unknown\":\"ERROR\"}".getBytes()))
                .hasMessage("nanolab-char state: symbols must be strictly increasing, but symbols[1] = 97 follows 98");
        assertThatThrownBy(() -> factory.load("{\"format\":\"nanolab-char\",\"version\":1,\"unit\":\"WORD\",\"symbols\":[],\"unknown\":\"ERROR\"}".getBytes()))
                .hasMessage("nanolab-char state: 'unit' is 'WORD', not one of [CHAR, CODE_POINT]");
        assertThatThrownBy(() -> factory.load("{\"format\":\"nanolab-char\",\"version\":1,\"unit\":\"CHAR\",\"symbols\":[70000],\"unknown\":\"ERROR\"}".getBytes()))
                .hasMessage("nanolab-char state: symbols[0] = 70000 is not a char");
        assertThatThrownBy(() -> factory.load("{\"format\":\"nanolab-char\",\n\"version\":1,\"unit\":\"CHAR\",\"symbols\":[1,\n".getBytes()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("nanolab-char state: not valid JSON at line 3")
                .hasMessageNotContaining("\n");
    }
}
