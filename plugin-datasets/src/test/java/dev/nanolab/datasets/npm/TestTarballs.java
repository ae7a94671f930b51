package dev.nanolab.datasets.npm;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/** Writes tar files for tests: ustar headers, with pax headers for names too long for ustar, as node-tar (npm) does. */
final class TestTarballs {
    private TestTarballs() {}

    /** An npm-style package tarball: every file under {@code package/}, with a package.json first. */
    static Path npmPackage(Path tgz, String name, String version, Map<String, String> files) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("package/package.json", ("{\"name\": \"" + name + "\", \"version\": \"" + version + "\"}\n")
                .getBytes(StandardCharsets.UTF_8));
        files.forEach((k, v) -> entries.put("package/" + k, v.getBytes(StandardCharsets.UTF_8)));
        return gzip(tgz, tar(entries));
    }

    static Path gzip(Path tgz, byte[] tar) throws IOException {
        Files.createDirectories(tgz.toAbsolutePath().getParent());
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(tgz))) {
            out.write(tar);
        }
        return tgz;
    }

    /** A tar of regular files (a name ending in '/' is a folder); names over 100 bytes get a pax header. */
    static byte[] tar(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            String name = e.getKey();
            byte[] data = e.getValue();
            boolean dir = name.endsWith("/");
            byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
            if (nameBytes.length > 100) {
                String record = "path=" + name + "\n";
                int base = record.getBytes(StandardCharsets.UTF_8).length + 1; // the record and the space
                int len = base + 1;
                while (len != base + String.valueOf(len).length()) len = base + String.valueOf(len).length();
                String pax = len + " " + record;
                byte[] paxBytes = pax.getBytes(StandardCharsets.UTF_8);
                if (paxBytes.length != len) throw new IllegalStateException("pax length");
                out.write(header("PaxHeader/" + name.hashCode(), paxBytes.length, 'x'));
                write(out, paxBytes);
                name = name.substring(0, 99);
            }
            out.write(header(name, dir ? 0 : data.length, dir ? '5' : '0'));
            if (!dir) write(out, data);
        }
        out.write(new byte[1024]);
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, byte[] data) {
        out.write(data, 0, data.length);
        out.write(new byte[(512 - data.length % 512) % 512], 0, (512 - data.length % 512) % 512);
    }

    static byte[] header(String name, long size, char type) {
        byte[] h = new byte[512];
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(n, 0, h, 0, Math.min(100, n.length));
        octal(h, 100, 8, 0644);
        octal(h, 108, 8, 0);
        octal(h, 116, 8, 0);
        octal(h, 124, 12, size);
        octal(h, 136, 12, 499162500L);
        h[156] = (byte) type;
        System.arraycopy("ustar\0".getBytes(StandardCharsets.US_ASCII), 0, h, 257, 6);
        h[263] = '0';
        h[264] = '0';
        for (int i = 148; i < 156; i++) h[i] = ' ';
        long sum = 0;
        for (byte b : h) sum += b & 0xff;
        octal(h, 148, 7, sum);
        h[155] = ' ';
        return h;
    }

    private static void octal(byte[] h, int off, int len, long value) {
        String s = Long.toOctalString(value);
        if (s.length() > len - 1) throw new IllegalArgumentException("too big for the field");
        s = "0".repeat(len - 1 - s.length()) + s;
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, off, b.length);
        h[off + len - 1] = 0;
    }
}
