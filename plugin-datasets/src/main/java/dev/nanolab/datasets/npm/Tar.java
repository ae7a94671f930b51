package dev.nanolab.datasets.npm;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Unpacks the tar files npm packs ({@code .tgz}: gzip over ustar) with Apache Commons Compress, adding the two checks
 * it leaves to its caller: every header's checksum ({@code TarArchiveInputStream} reads a header with a corrupted
 * byte without a word; {@link TarArchiveEntry#isCheckSumOK()} tells), and names that would land outside the target
 * folder (absolute, or with a {@code ..} part) are refused. Regular files and folders are written; links, devices
 * and fifos are skipped.
 */
public final class Tar {
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
        int files = 0;
        TarArchiveInputStream tar = new TarArchiveInputStream(in); // not closed: the caller owns the stream
        try {
            for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                if (!e.isCheckSumOK()) throw new IOException("corrupt tar header (checksum mismatch) at '" + e.getName() + "'");
                Path target = target(root, e.getName(), strip);
                if (target == null) continue;
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                } else if (e.isFile()) {
                    Files.createDirectories(target.getParent());
                    long n = Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
                    if (n != e.getSize()) throw new EOFException("truncated tar entry '" + e.getName() + "'");
                    files++;
                }
            }
        } catch (EOFException e) {
            throw e;
        } catch (IOException e) {
            String m = String.valueOf(e.getMessage());
            if (m.contains("Truncated") || m.contains("truncated") || m.contains("premature")) throw new EOFException("truncated tar (" + m + ")");
            throw e;
        } catch (IllegalArgumentException e) {
            throw new IOException("corrupt tar header (" + e.getMessage() + ")", e);
        }
        return files;
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
}
