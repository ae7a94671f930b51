package dev.nanolab.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanolab.training.data.TokenFile;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Token files: round trip, widths, and every corruption named. */
class TokenFileTest {
    static final String FP = "ab".repeat(32);

    @TempDir
    Path dir;

    @Test
    void roundTripsWithTheNarrowestWidth() throws IOException {
        int[] ids = {0, 1, 65535, 42, 7};
        Path f = dir.resolve("a.bin");
        TokenFile.write(f, ids, ids.length, 65536, "char", FP);
        assertThat(Files.size(f)).isEqualTo(TokenFile.HEADER + 2L * ids.length);
        try (TokenFile t = TokenFile.open(f)) {
            assertThat(t.count()).isEqualTo(5);
            assertThat(t.tokenizerName()).isEqualTo("char");
            assertThat(t.tokenizerFingerprint()).isEqualTo(FP);
            int[] back = new int[5];
            t.read(0, back, 0, 5);
            assertThat(back).containsExactly(ids);
        }
        int[] wide = {70000, 3, 100276};
        TokenFile.write(dir.resolve("b.bin"), wide, 3, 100277, "tiktoken:cl100k_base", FP);
        try (TokenFile t = TokenFile.open(dir.resolve("b.bin"))) {
            assertThat(t.get(0)).isEqualTo(70000);
            assertThat(t.get(2)).isEqualTo(100276);
        }
        assertThat(Files.size(dir.resolve("b.bin"))).isEqualTo(TokenFile.HEADER + 4L * 3);
    }

    @Test
    void truncatedCorruptAndForeignFilesAreNamed() throws IOException {
        Path f = dir.resolve("t.bin");
        TokenFile.write(f, new int[] {1, 2, 3, 4}, 4, 10, "char", FP);
        Path cut = dir.resolve("cut.bin");
        Files.write(cut, java.util.Arrays.copyOf(Files.readAllBytes(f), TokenFile.HEADER + 5));
        assertThatThrownBy(() -> TokenFile.open(cut)).hasMessageContaining(cut.toString()).hasMessageContaining("truncated");
        Path payload = dir.resolve("payload.bin");
        Files.copy(f, payload);
        try (RandomAccessFile raf = new RandomAccessFile(payload.toFile(), "rw")) {
            raf.seek(TokenFile.HEADER + 2);
            raf.write(9);
        }
        assertThatThrownBy(() -> TokenFile.open(payload)).hasMessageContaining(payload.toString()).hasMessageContaining("corrupt");
        Path header = dir.resolve("header.bin");
        Files.copy(f, header);
        try (RandomAccessFile raf = new RandomAccessFile(header.toFile(), "rw")) {
            raf.seek(24);
            raf.write(99);
        }
        assertThatThrownBy(() -> TokenFile.open(header)).hasMessageContaining("corrupt header");
        Path foreign = dir.resolve("foreign.bin");
        Files.write(foreign, new byte[200]);
        assertThatThrownBy(() -> TokenFile.open(foreign)).hasMessageContaining("not a nanolab token file");
        assertThatThrownBy(() -> TokenFile.open(dir.resolve("none.bin"))).hasMessageContaining("does not exist");
    }
}
