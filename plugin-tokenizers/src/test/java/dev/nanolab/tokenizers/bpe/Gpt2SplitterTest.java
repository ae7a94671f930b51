package dev.nanolab.tokenizers.bpe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolab.tokenizers.LoneSurrogateTexts;
import dev.nanolab.tokenizers.TestCorpora;
import dev.nanolab.tokenizers.ValidTexts;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class Gpt2SplitterTest {
    private static final PieceSplitter FAST = new Gpt2Splitter();
    private static final PieceSplitter REGEX = new PieceSplitter.RegexSplitter(Gpt2Splitter.PATTERN);

    private static List<String> pieces(PieceSplitter splitter, String text) {
        List<String> pieces = new ArrayList<>();
        splitter.split(text, (start, end) -> pieces.add(text.substring(start, end)));
        return pieces;
    }

    @Test
    void splitsLikeGpt2() {
        assertThat(pieces(FAST, "Hello world's 123 end!!  \n\n  x"))
                .containsExactly("Hello", " world", "'s", " 123", " end", "!!", "  \n\n ", " x");
        assertThat(pieces(FAST, " 'll'LL 're'sx")).containsExactly(" '", "ll", "'", "LL", " '", "re", "'s", "x");
        assertThat(pieces(FAST, "a\u00a0\u00a0b\u3000c\u0085")).containsExactly("a", "\u00a0", "\u00a0", "b", "\u3000", "c", "\u0085");
        assertThat(pieces(FAST, "")).isEmpty();
    }

    @Property(tries = 1000)
    void givesExactlyTheRegexPieces(@ForAll @From(supplier = ValidTexts.class) String text) {
        assertThat(pieces(FAST, text)).isEqualTo(pieces(REGEX, text));
    }

    @Property(tries = 300)
    void givesExactlyTheRegexPiecesWithLoneSurrogates(@ForAll @From(supplier = LoneSurrogateTexts.class) String text) {
        assertThat(pieces(FAST, text)).isEqualTo(pieces(REGEX, text));
    }

    @Test
    void givesExactlyTheRegexPiecesOnJavaSourceAndVariedText() {
        for (String text : TestCorpora.jdkSources(300_000)) assertThat(pieces(FAST, text)).isEqualTo(pieces(REGEX, text));
        String varied = TestCorpora.varied(1, 300_000);
        assertThat(pieces(FAST, varied)).isEqualTo(pieces(REGEX, varied));
    }
}
