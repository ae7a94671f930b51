package dev.nanolab.datasets.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Utf8TextTest {
    @Test
    void validUtf8IsTextAndALeadingBomIsDropped() {
        String s = "héllo wörld — 😀\n";
        assertThat(Utf8Text.decode(s.getBytes(StandardCharsets.UTF_8))).isEqualTo(s);
        assertThat(Utf8Text.decode(("\uFEFF" + s).getBytes(StandardCharsets.UTF_8))).isEqualTo(s);
        assertThat(Utf8Text.decode(new byte[0])).isEqualTo("");
    }

    @Test
    void nulBytesAndMalformedUtf8AreNotText() {
        assertThat(Utf8Text.decode(new byte[] {'a', 0, 'b'})).isNull();
        assertThat(Utf8Text.whyNot(new byte[] {'a', 0, 'b'})).isEqualTo("a NUL byte at offset 1");
        byte[] latin1 = "café".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(Utf8Text.decode(latin1)).isNull();
        assertThat(Utf8Text.whyNot(latin1)).isEqualTo("byte 0xe9 at offset 3 is not valid UTF-8");
        assertThat(Utf8Text.decode("hi".getBytes(StandardCharsets.UTF_16))).isNull();
    }

    @Test
    void prefixesNeverSplitACharacter() {
        String s = "aé😀b"; // 1 + 2 + 4 + 1 bytes
        assertThat(Utf8Text.utf8Length(s)).isEqualTo(8);
        assertThat(Utf8Text.prefixWithin(s, 0)).isEqualTo("");
        assertThat(Utf8Text.prefixWithin(s, 2)).isEqualTo("a");
        assertThat(Utf8Text.prefixWithin(s, 3)).isEqualTo("aé");
        assertThat(Utf8Text.prefixWithin(s, 6)).isEqualTo("aé");
        assertThat(Utf8Text.prefixWithin(s, 7)).isEqualTo("aé😀");
        assertThat(Utf8Text.prefixWithin(s, 100)).isEqualTo(s);
    }
}
