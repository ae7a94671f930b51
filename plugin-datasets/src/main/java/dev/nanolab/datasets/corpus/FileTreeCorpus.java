package dev.nanolab.datasets.corpus;

import dev.nanolab.api.data.Document;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A fixed list of files as documents, read one at a time in the list's order, each named by its relative path
 * ('/'-separated) or a name given for it, its text the file's or made from it by a {@link Reader}. Files that are
 * not UTF-8 text are skipped and counted, or, when the corpus is strict (one file named by the user), are an error.
 */
public final class FileTreeCorpus extends SourceCorpus {
    /** Makes a document's text from a file's UTF-8 text. */
    @FunctionalInterface
    public interface Reader {
        /**
         * @param file the file, for messages
         * @throws IOException with a one-line message naming the file when its text is not what the source expects
         */
        String text(Path file, String utf8) throws IOException;
    }

    private final Path root;
    private final List<String> files;
    private final List<String> names;
    private final boolean strict;
    private final Reader reader;

    /**
     * @param root   the folder the files are relative to
     * @param files  '/'-separated paths relative to root, in the documents' order
     * @param names  the documents' names, one per file
     * @param strict whether a file that is not UTF-8 text is an error rather than skipped
     */
    public FileTreeCorpus(String name, Path root, List<String> files, List<String> names, boolean strict, long maxBytes) {
        this(name, root, files, names, strict, maxBytes, (file, utf8) -> utf8);
    }

    /** As above, each document's text made by {@code reader} from its file's. */
    public FileTreeCorpus(String name, Path root, List<String> files, List<String> names, boolean strict, long maxBytes,
                          Reader reader) {
        super(name, maxBytes);
        if (names.size() != files.size()) throw new IllegalArgumentException("one name per file");
        this.root = root;
        this.files = List.copyOf(files);
        this.names = List.copyOf(names);
        this.strict = strict;
        this.reader = reader;
    }

    @Override
    protected Cursor cursor() {
        List<String> skipped = new ArrayList<>();
        return new Cursor() {
            private int i;

            @Override
            public Document next() throws IOException {
                while (i < files.size()) {
                    String documentName = names.get(i);
                    String rel = files.get(i++);
                    Path file = root.resolve(rel);
                    byte[] bytes;
                    try {
                        if (Files.size(file) > Options.MAX_DOCUMENT_BYTES) bytes = null;
                        else bytes = Files.readAllBytes(file);
                    } catch (IOException e) {
                        throw new IOException(name() + ": cannot read " + file + " (" + e + ")", e);
                    }
                    if (bytes == null) {
                        if (strict) throw new IOException(name() + ": " + file + " is larger than 2 GB, too large for one"
                                + " document; split it into files in a folder");
                        skipped.add(rel);
                        continue;
                    }
                    String text = Utf8Text.decode(bytes);
                    if (text == null) {
                        if (strict)
                            throw new IOException(name() + ": " + file + " is not UTF-8 text (" + Utf8Text.whyNot(bytes) + ")");
                        skipped.add(rel);
                        continue;
                    }
                    return new Document(documentName, reader.text(file, text));
                }
                return null;
            }

            @Override
            public List<String> skipped() {
                return skipped;
            }

            @Override
            public void close() {}
        };
    }
}
