package dev.nanolab.datasets.npm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarTest {
    @TempDir
    Path tmp;

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void unpacksFilesAndFoldersStrippingTheTopFolder() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("package/", new byte[0]);
        entries.put("package/package.json", utf8("{}"));
        entries.put("package/builds/doc-0.json", utf8("[\"a\"]"));
        entries.put("package/empty", new byte[0]);
        byte[] big = new byte[512 * 3 + 7];
        Arrays.fill(big, (byte) 'x');
        entries.put("package/big.txt", big);
        String longName = "package/" + "deep/".repeat(25) + "ünïcode-name.txt";
        entries.put(longName, utf8("long"));
        Path tgz = TestTarballs.gzip(tmp.resolve("p.tgz"), TestTarballs.tar(entries));
        Path out = tmp.resolve("out");
        assertThat(Tar.extractGzip(tgz, out, 1)).isEqualTo(5);
        assertThat(out.resolve("package.json")).hasContent("{}");
        assertThat(out.resolve("builds/doc-0.json")).hasContent("[\"a\"]");
        assertThat(Files.size(out.resolve("empty"))).isZero();
        assertThat(Files.readAllBytes(out.resolve("big.txt"))).isEqualTo(big);
        assertThat(out.resolve(longName.substring("package/".length()))).hasContent("long");
    }

    @Test
    void refusesNamesThatLeaveTheTargetFolder() {
        Map<String, byte[]> entries = Map.of("package/../../evil.txt", utf8("x"));
        assertThatThrownBy(() -> Tar.extract(new ByteArrayInputStream(TestTarballs.tar(entries)), tmp.resolve("o"), 1))
                .hasMessageContaining("refusing the name 'package/../../evil.txt'");
        assertThat(tmp.resolve("evil.txt")).doesNotExist();
    }

    @Test
    void aCorruptHeaderOrATruncatedTarIsAnError() throws IOException {
        byte[] tar = TestTarballs.tar(Map.of("package/a.txt", utf8("hello")));
        byte[] corrupt = tar.clone();
        corrupt[10] ^= 1;
        assertThatThrownBy(() -> Tar.extract(new ByteArrayInputStream(corrupt), tmp.resolve("c"), 1))
                .hasMessageContaining("checksum");
        byte[] truncated = Arrays.copyOf(tar, 512 + 3);
        assertThatThrownBy(() -> Tar.extract(new ByteArrayInputStream(truncated), tmp.resolve("t"), 1))
                .hasMessageContaining("truncated");
        Path notGzip = Files.write(tmp.resolve("x.tgz"), tar);
        assertThatThrownBy(() -> Tar.extractGzip(notGzip, tmp.resolve("g"), 1))
                .hasMessageContaining(notGzip + " is not a gzipped tar");
    }

    @Test
    void readsBase256Sizes() throws IOException {
        byte[] h = TestTarballs.header("x", 0, '0');
        Arrays.fill(h, 124, 136, (byte) 0);
        h[124] = (byte) 0x80;
        h[135] = 5;
        assertThat(Tar.number(h, 124, 12)).isEqualTo(5);
    }
}
