package dev.nanolab.datasets.files;

import dev.nanolab.api.data.DatasetRecipe;
import dev.nanolab.api.data.TextCorpus;
import dev.nanolab.datasets.corpus.FileTreeCorpus;
import dev.nanolab.datasets.corpus.Glob;
import dev.nanolab.datasets.corpus.Options;
import dev.nanolab.datasets.corpus.Utf8Text;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/**
 * The {@code text:PATH} dataset: one text file, or every text file under a folder.
 *
 * <p><b>A file</b> is one document, named by the path as given; it must be UTF-8 text (else {@link #open()} fails,
 * saying where the first bad byte is). A path starting with {@code ~/} is under the user's home folder.
 *
 * <p><b>A folder</b> is read recursively, and its files are listed once, when the corpus is opened:
 * <ul>
 *   <li>files and folders whose name starts with '.' ({@code .git}, {@code .DS_Store}) are left out, and symbolic
 *   links to folders are not followed (links to files are read);</li>
 *   <li>{@code include} narrows the files by glob on the relative path;</li>
 *   <li>the documents are in the order of their relative paths ('/'-separated, compared as strings), so the order
 *   is the same on every machine and file system, and each is named by that path;</li>
 *   <li>every file whatever its extension is tried, and kept when it is UTF-8 text: no NUL byte and valid UTF-8 (a
 *   leading byte-order mark is dropped). The others (images, class files, Latin-1 or UTF-16 text) are skipped;
 *   after a full pass one warning gives their count and the first names.</li>
 * </ul>
 * A folder with no files to read is an error, as is a missing path.
 */
public final class TextRecipe implements DatasetRecipe {
    public static final String FAMILY = "text:";

    private final TextConfig config;

    public TextRecipe(TextConfig config) {
        this.config = config;
    }

    /**
     * @throws FileNotFoundException when the path does not exist, naming it
     * @throws IOException           when the file is not UTF-8 text or the folder has no files, naming it
     */
    @Override
    public TextCorpus open() throws IOException {
        String name = FAMILY + config.path();
        if (config.path().isBlank())
            throw new IOException("text: give a file or folder, as text:PATH (e.g. text:data/input.txt)");
        Path path = Options.path(config.path());
        if (!Files.exists(path))
            throw new FileNotFoundException(name + ": no such file or folder: " + path.toAbsolutePath());
        if (Files.isDirectory(path)) return folder(name, path);
        if (!Files.isRegularFile(path)) throw new IOException(name + ": " + path.toAbsolutePath() + " is not a file or a folder");
        if (Files.size(path) > Options.MAX_DOCUMENT_BYTES)
            throw new IOException(name + ": " + path.toAbsolutePath() + " is larger than 2 GB, too large for one document;"
                    + " split it into files in a folder");
        byte[] bytes = Files.readAllBytes(path);
        if (Utf8Text.decode(bytes) == null)
            throw new IOException(name + ": " + path.toAbsolutePath() + " is not UTF-8 text (" + Utf8Text.whyNot(bytes) + ")");
        Path parent = path.toAbsolutePath().getParent();
        List<String> file = List.of(path.getFileName().toString());
        return new FileTreeCorpus(name, parent, file, List.of(config.path()), true, config.maxBytes());
    }

    private FileTreeCorpus folder(String name, Path root) throws IOException {
        Predicate<String> include = Glob.anyOf(config.include());
        List<String> files = new ArrayList<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                if (!dir.equals(root) && dir.getFileName().toString().startsWith(".")) return FileVisitResult.SKIP_SUBTREE;
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                String rel = relative(root, file);
                if (Options.hidden(rel) || !include.test(rel)) return FileVisitResult.CONTINUE;
                if (attrs.isRegularFile() || (attrs.isSymbolicLink() && Files.isRegularFile(file))) files.add(rel);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                throw new IOException(name + ": cannot read " + file.toAbsolutePath() + " (" + e + ")", e);
            }
        });
        if (files.isEmpty())
            throw new IOException(name + ": no files to read in " + root.toAbsolutePath()
                    + (config.include().isEmpty() ? "" : " that match include " + config.include())
                    + " (names starting with '.' are skipped)");
        files.sort(Comparator.naturalOrder());
        return new FileTreeCorpus(name, root, files, files, false, config.maxBytes());
    }

    private static String relative(Path root, Path file) {
        StringBuilder s = new StringBuilder();
        for (Path part : root.relativize(file)) {
            if (!s.isEmpty()) s.append('/');
            s.append(part);
        }
        return s.toString();
    }
}
