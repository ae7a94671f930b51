package dev.nanolab.datasets.npm;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * A small reader for the tar files npm packs ({@code .tgz}: gzip over ustar), in pure Java, so nothing but a JDK is
 * needed to unpack a package. It reads regular files and folders, long names from pax ({@code x}) and GNU
 * ({@code L}) headers and ustar's name prefix, and sizes in octal or base-256; links, devices and global pax headers
 * are skipped. Every header's checksum is checked, and a name that would land outside the target folder (absolute,
 * or with a {@code ..} part) is refused.
 *
 * <p>Why not Apache Commons Compress: tried (1.28.0, {@code TarArchiveInputStream}) in place of this class, it passed
 * the other tests but unpacked a tarball with a corrupted header without a word ({@code TarTest}'s corrupt-header
 * case), where this reader names the bad checksum; npm tarballs are small, so the reader's speed does not matter.
 */
public final class Tar {
    private static final int BLOCK = 512;

    private Tar() {}

    /**
     * Unpacks a gzipped tar into a folder, dropping the first {@code strip} parts of every name (npm tarballs put
     * everything under {@code package/}, which {@code strip = 1} removes).
     *
     * @return the number of files written
     * @throws IOException naming the tarball when it is truncated, corrupt or holds an unsafe name
     */
    public static int extractGzip(Path tgz, Path into, int strip) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(tgz), 1 << 16)) {
            return extract(in, into, strip);
        } catch (java.util.zip.ZipException e) {
            throw new IOException(tgz + " is not a gzipped tar (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new IOException(tgz + ": " + e.getMessage(), e);
        }
    }

    /** Unpacks an uncompressed tar stream into a folder; see {@link #extractGzip}. */
    public static int extract(InputStream in, Path into, int strip) throws IOException {
        Path root = into.toAbsolutePath().normalize();
        Files.createDirectories(root);
        byte[] header = new byte[BLOCK];
        String longName = null;
        long paxSize = -1;
        int files = 0;
        while (true) {
            int n = in.readNBytes(header, 0, BLOCK);
            if (n == 0) return files; // no end-of-archive blocks: tolerated
            if (n < BLOCK) throw new EOFException("truncated tar header");
            if (allZero(header)) return files;
            checkChecksum(header);
            char type = (char) (header[156] & 0xff);
            long size = paxSize >= 0 ? paxSize : number(header, 124, 12);
            String name = longName != null ? longName : name(header);
            longName = null;
            paxSize = -1;
            switch (type) {
                case 'x' -> {
                    byte[] pax = readData(in, size);
                    longName = paxValue(pax, "path");
                    String s = paxValue(pax, "size");
                    if (s != null) paxSize = Long.parseLong(s.strip());
                }
                case 'L' -> {
                    byte[] data = readData(in, size);
                    int end = 0;
                    while (end < data.length && data[end] != 0) end++;
                    longName = new String(data, 0, end, StandardCharsets.UTF_8);
                }
                case '0', '\0', '7' -> {
                    Path target = target(root, name, strip);
                    if (target == null) {
                        skipData(in, size);
                        continue;
                    }
                    Files.createDirectories(target.getParent());
                    try (OutputStream out = Files.newOutputStream(target)) {
                        copy(in, out, size);
                    }
                    skipPadding(in, size);
                    files++;
                }
                case '5' -> {
                    Path target = target(root, name, strip);
                    if (target != null) Files.createDirectories(target);
                    skipData(in, size);
                }
                default -> skipData(in, size); // links, devices, fifos, global pax headers, GNU extras
            }
        }
    }

    /** Where an entry goes, or null when stripping leaves nothing of its name. */
    private static Path target(Path root, String name, int strip) throws IOException {
        String[] parts = name.replace('\\', '/').split("/+");
        StringBuilder rel = new StringBuilder();
        int kept = 0;
        for (int i = 0, dropped = 0; i < parts.length; i++) {
            String p = parts[i];
            if (p.isEmpty() && i == 0 && name.startsWith("/")) throw new IOException("refusing the absolute name '" + name + "'");
            if (p.isEmpty() || p.equals(".")) continue;
            if (p.equals("..")) throw new IOException("refusing the name '" + name + "', which leaves the target folder");
            if (dropped < strip) {
                dropped++;
                continue;
            }
            if (kept++ > 0) rel.append('/');
            rel.append(p);
        }
        if (kept == 0) return null;
        Path target = root.resolve(rel.toString()).normalize();
        if (!target.startsWith(root)) throw new IOException("refusing the name '" + name + "', which leaves the target folder");
        return target;
    }

    private static String name(byte[] h) {
        String name = string(h, 0, 100);
        boolean ustar = h[257] == 'u' && h[258] == 's' && h[259] == 't' && h[260] == 'a' && h[261] == 'r' && h[262] == 0;
        if (ustar) {
            String prefix = string(h, 345, 155);
            if (!prefix.isEmpty()) name = prefix + "/" + name;
        }
        return name;
    }

    private static String string(byte[] h, int off, int len) {
        int end = off;
        while (end < off + len && h[end] != 0) end++;
        return new String(h, off, end - off, StandardCharsets.UTF_8);
    }

    /** A numeric field: octal digits (space or NUL padded), or base-256 when the first byte's high bit is set. */
    static long number(byte[] h, int off, int len) throws IOException {
        if ((h[off] & 0x80) != 0) {
            long v = h[off] & 0x7f;
            for (int i = off + 1; i < off + len; i++) v = (v << 8) | (h[i] & 0xff);
            return v;
        }
        long v = 0;
        int i = off;
        while (i < off + len && (h[i] == ' ' || h[i] == 0)) i++;
        for (; i < off + len && h[i] != ' ' && h[i] != 0; i++) {
            if (h[i] < '0' || h[i] > '7') throw new IOException("corrupt tar header (bad number)");
            v = v * 8 + (h[i] - '0');
        }
        return v;
    }

    private static void checkChecksum(byte[] h) throws IOException {
        long expected = number(h, 148, 8);
        long unsigned = 0;
        long signed = 0;
        for (int i = 0; i < BLOCK; i++) {
            int b = i >= 148 && i < 156 ? ' ' : h[i];
            unsigned += b & 0xff;
            signed += i >= 148 && i < 156 ? ' ' : h[i];
        }
        if (expected != unsigned && expected != signed) throw new IOException("corrupt tar header (checksum mismatch)");
    }

    /** A value of a pax extended header, whose records are "<length> <key>=<value>\n", length counting bytes. */
    private static String paxValue(byte[] pax, String key) {
        int i = 0;
        while (i < pax.length) {
            int space = i;
            while (space < pax.length && pax[space] != ' ') space++;
            if (space >= pax.length) break;
            int length;
            try {
                length = Integer.parseInt(new String(pax, i, space - i, StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                break;
            }
            if (length <= space - i || i + length > pax.length) break;
            String record = new String(pax, space + 1, i + length - space - 1, StandardCharsets.UTF_8);
            int eq = record.indexOf('=');
            if (eq > 0 && record.substring(0, eq).equals(key)) {
                String v = record.substring(eq + 1);
                return v.endsWith("\n") ? v.substring(0, v.length() - 1) : v;
            }
            i += length;
        }
        return null;
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b)
            if (x != 0) return false;
        return true;
    }

    private static byte[] readData(InputStream in, long size) throws IOException {
        if (size > 1 << 20) throw new IOException("a tar extended header of " + size + " bytes");
        byte[] data = in.readNBytes((int) size);
        if (data.length < size) throw new EOFException("truncated tar entry");
        skipPadding(in, size);
        return data;
    }

    private static void copy(InputStream in, OutputStream out, long size) throws IOException {
        byte[] buf = new byte[1 << 16];
        long left = size;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) throw new EOFException("truncated tar entry");
            out.write(buf, 0, n);
            left -= n;
        }
    }

    private static void skipData(InputStream in, long size) throws IOException {
        skip(in, size);
        skipPadding(in, size);
    }

    private static void skipPadding(InputStream in, long size) throws IOException {
        long pad = (BLOCK - size % BLOCK) % BLOCK;
        skip(in, pad);
    }

    private static void skip(InputStream in, long n) throws IOException {
        long left = n;
        while (left > 0) {
            long s = in.skip(left);
            if (s <= 0) {
                if (in.read() < 0) throw new EOFException("truncated tar entry");
                s = 1;
            }
            left -= s;
        }
    }
}
