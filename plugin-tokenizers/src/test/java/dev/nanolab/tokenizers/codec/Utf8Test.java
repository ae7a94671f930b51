package dev.nanolab.tokenizers.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolab.tokenizers.LoneSurrogateTexts;
import dev.nanolab.tokenizers.ValidTexts;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class Utf8Test {
    @Property(tries = 300)
    void validTextEncodesAsTheJdkDoes(@ForAll @From(supplier = ValidTexts.class) String text) {
        byte[] out = new byte[3 * text.length()];
        int n = Utf8.encode(text, 0, text.length(), out);
        assertThat(java.util.Arrays.copyOf(out, n)).isEqualTo(text.getBytes(StandardCharsets.UTF_8));
        assertThat(Utf8.encode(text)).isEqualTo(text.getBytes(StandardCharsets.UTF_8));
        assertThat(Utf8.withoutLoneSurrogates(text)).isSameAs(text);
    }

    @Property(tries = 300)
    void loneSurrogatesBecomeTheReplacementCharacter(@ForAll @From(supplier = LoneSurrogateTexts.class) String text) {
        String replaced = Utf8.withoutLoneSurrogates(text);
        assertThat(Utf8.firstLoneSurrogate(replaced)).isEqualTo(-1);
        assertThat(replaced).hasSameSizeAs(text).contains("\uFFFD");
        byte[] out = new byte[3 * text.length()];
        int n = Utf8.encode(text, 0, text.length(), out);
        assertThat(java.util.Arrays.copyOf(out, n)).isEqualTo(replaced.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aLoneSurrogateIsEfBfBdNotAQuestionMark() {
        assertThat(Utf8.encode("a\uD800b")).containsExactly(0x61, 0xEF, 0xBF, 0xBD, 0x62);
        assertThat(Utf8.encode("\uDC00")).containsExactly(0xEF, 0xBF, 0xBD);
        assertThat(Utf8.encode("\uD83D\uDC4D")).containsExactly(0xF0, 0x9F, 0x91, 0x8D);
        // A pair cut by the range is two lone surrogates.
        byte[] out = new byte[6];
        assertThat(Utf8.encode("\uD83D\uDC4D", 0, 1, out)).isEqualTo(3);
        assertThat(out).startsWith(0xEF, 0xBF, 0xBD);
    }

    @Test
    void decodingMalformedBytesGivesReplacementCharacters() {
        byte[] thumbsUp = "👍".getBytes(StandardCharsets.UTF_8);
        assertThat(Utf8.decode(thumbsUp, 0, 2)).isEqualTo("\uFFFD");
        assertThat(Utf8.decode(thumbsUp, 0, 4)).isEqualTo("👍");
    }
}
