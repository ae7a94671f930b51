package dev.nanolab.datasets.corpus;

import dev.nanolab.api.data.Document;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.function.Predicate;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * The entries of a zip file as documents, in the zip's order (its central directory), named by their path in the
 * zip. Only the entries the filter accepts are read; those that are not UTF-8 text are skipped and counted. Entries
 * are read one at a time, so a large zip is never in memory at once.
 */
public final class ZipCorpus extends SourceCorpus {
    private final Path zip;
    private final Predicate<String> accept;

    /**
     * @param name     the corpus name
     * @param zip      the zip file; it must exist when {@link #documents()} is read
     * @param accept   which entry paths become documents (directories never do)
     * @param maxBytes the limit on the corpus's UTF-8 bytes, 0 for none
     */
    public ZipCorpus(String name, Path zip, Predicate<String> accept, long maxBytes) {
        super(name, maxBytes);
        this.zip = zip;
        this.accept = accept;
    }

    /**
     * Opens the zip once to check it can be read, with a one-line message naming it when it cannot.
     *
     * @throws IOException naming the file and what is wrong with it
     */
    public static void check(String name, Path zip) throws IOException {
        try (ZipFile z = new ZipFile(zip.toFile())) {
            z.size();
        } catch (ZipException e) {
            throw new IOException(name + ": " + zip + " is not a readable zip file (" + e.getMessage() + ")", e);
        }
    }

    @Override
    protected String unit() {
        return "entries";
    }

    @Override
    protected Cursor cursor() throws IOException {
        ZipFile file;
        try {
            file = new ZipFile(zip.toFile());
        } catch (IOException e) {
            throw new IOException(name() + ": cannot read " + zip + " as a zip file (" + e.getMessage() + ")", e);
        }
        Enumeration<? extends ZipEntry> entries = file.entries();
        List<String> skipped = new ArrayList<>();
        return new Cursor() {
            @Override
            public Document next() throws IOException {
                while (entries.hasMoreElements()) {
                    ZipEntry e = entries.nextElement();
                    if (e.isDirectory() || !accept.test(e.getName())) continue;
                    if (e.getSize() > Integer.MAX_VALUE - 16) {
                        skipped.add(e.getName());
                        continue;
                    }
                    byte[] bytes;
                    try (InputStream in = file.getInputStream(e)) {
                        bytes = in.readAllBytes();
                    } catch (IOException ex) {
                        throw new IOException(name() + ": cannot read entry " + e.getName() + " of " + zip + " ("
                                + ex.getMessage() + ")", ex);
                    }
                    String text = Utf8Text.decode(bytes);
                    if (text == null) {
                        skipped.add(e.getName());
                        continue;
                    }
                    return new Document(e.getName(), text);
                }
                return null;
            }

            @Override
            public List<String> skipped() {
                return skipped;
            }

            @Override
            public void close() throws IOException {
                file.close();
            }
        };
    }
}
