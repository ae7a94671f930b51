package dev.nanolab.datasets.files;

import dev.nanolab.api.data.DatasetRecipe;
import dev.nanolab.api.data.TextCorpus;
import dev.nanolab.datasets.corpus.Glob;
import dev.nanolab.datasets.corpus.Options;
import dev.nanolab.datasets.corpus.ZipCorpus;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;

/**
 * The {@code zip:PATH} dataset: the text entries of a zip file, in the zip's order, named by their path in it.
 * Entries under a name starting with '.' and macOS's {@code __MACOSX/} folder are left out, {@code include} narrows
 * by glob, and entries that are not UTF-8 text (no NUL byte, valid UTF-8) are skipped, with one warning giving
 * their count after a full pass. Entries are read one at a time.
 */
public final class ZipRecipe implements DatasetRecipe {
    public static final String FAMILY = "zip:";

    private final ZipConfig config;

    public ZipRecipe(ZipConfig config) {
        this.config = config;
    }

    /**
     * @throws FileNotFoundException when the file does not exist, naming it
     * @throws IOException           when it is not a readable zip, naming it
     */
    @Override
    public TextCorpus open() throws IOException {
        String name = FAMILY + config.path();
        if (config.path().isBlank()) throw new IOException("zip: give a zip file, as zip:PATH (e.g. zip:data/books.zip)");
        Path zip = Options.path(config.path()).toAbsolutePath();
        if (!Files.isRegularFile(zip)) throw new FileNotFoundException(name + ": no such file: " + zip);
        ZipCorpus.check(name, zip);
        Predicate<String> include = Glob.anyOf(config.include());
        return new ZipCorpus(name, zip, entry -> !Options.hidden(entry) && include.test(entry), config.maxBytes());
    }
}
