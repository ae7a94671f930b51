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
        byte[] h = TestTarballs.header("package/b.txt", 0, '0');
        Arrays.fill(h, 124, 136, (byte) 0);
        h[124] = (byte) 0x80; // base-256: high bit set, big-endian value in the rest of the field
        h[135] = 5;
        Arrays.fill(h, 148, 156, (byte) ' ');
        long sum = 0;
        for (byte b : h) sum += b & 0xff;
        byte[] octal = String.format("%06o", sum).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(octal, 0, h, 148, 6);
        h[154] = 0;
        byte[] tar = new byte[512 * 4];
        System.arraycopy(h, 0, tar, 0, 512);
        System.arraycopy(utf8("hello"), 0, tar, 512, 5);
        assertThat(Tar.extract(new ByteArrayInputStream(tar), tmp.resolve("b"), 1)).isEqualTo(1);
        assertThat(tmp.resolve("b/b.txt")).hasContent("hello");
    }
}
